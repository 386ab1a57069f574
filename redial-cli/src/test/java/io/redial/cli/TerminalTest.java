package io.redial.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalTest {

  @Test
  void wrapsAtEightyColumnsKeepingEveryWord() {
    String text = "word ".repeat(100) + "x".repeat(200) + " end";
    List<String> lines = Terminal.wrap(text, 2, 6);
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
    assertThat(lines.get(0)).startsWith("  word");
    assertThat(lines.get(1)).startsWith("      word");
    assertThat(String.join("", lines).replace(" ", ""))
        .isEqualTo(text.replace(" ", ""));
  }

  @Test
  void fitsAndSanitizes() {
    assertThat(Terminal.fit("abcdef", 4)).isEqualTo("abc…");
    assertThat(Terminal.fitWords("one two three four", 12)).isEqualTo("one two…");
    assertThat(Terminal.sanitize("a\u001bb\nc", 100)).isEqualTo("a?b?c");
    assertThat(Terminal.sanitize("abcdef", 3)).isEqualTo("abc… (6 characters)");
  }

  @Test
  void jsonEscapesWhatMustBeEscaped() {
    assertThat(Json.write(java.util.Map.of("k", "q\"\\\n\u0001\ud800")))
        .isEqualTo("{\n  \"k\": \"q\\\"\\\\\\n\\u0001\\ud800\"\n}");
    assertThat(Json.write(List.of())).isEqualTo("[]");
    assertThat(Json.write(java.util.Optional.empty())).isEqualTo("null");
    assertThat(Json.write(java.util.OptionalInt.of(3))).isEqualTo("3");
  }
}
