package io.redial.errors.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogParserTest {

  private static List<CatalogParser.Parsed> parse(String text) throws Exception {
    return CatalogParser.parse(new StringReader(text), "test.txt");
  }

  @Test
  void readsABlockWithContinuationsNotesAndConditions() throws Exception {
    List<CatalogParser.Parsed> p = parse("""
        # comment
        [WSAEISCONN]
        kind = winsock
        winsock = 10056
        posix = EISCONN
        linux = 106
        macos = 56
        java = java.net.SocketException: already connected  [JDK 17]
        java = java.nio.channels.AlreadyConnectedException
        os-message = Linux: Transport endpoint is already connected
        match = version [TLS13, TLS12]
        match = doesn't match  [if ssl tls]
        summary = one
        cause = two
          and three
        fix = four
        tip = five
        """);
    assertThat(p).hasSize(1);
    var e = p.get(0).error();
    assertThat(e.cause()).isEqualTo("two and three");
    assertThat(e.tip()).isEqualTo("five");
    assertThat(e.javaForms().get(0).note()).isEqualTo("JDK 17");
    assertThat(e.javaForms().get(0).message()).isEqualTo("already connected");
    assertThat(e.javaForms().get(1).message()).isEmpty();
    assertThat(p.get(0).matches()).containsExactly(
        new CatalogParser.Match("version [TLS13, TLS12]", List.of()),
        new CatalogParser.Match("doesn't match", List.of("ssl", "tls")));
  }

  @Test
  void errorsNameTheLineAndTheProblem() {
    assertThatThrownBy(() -> parse("[A]\nkind = redial\ncolour = red\n"))
        .hasMessageContaining("test.txt:3").hasMessageContaining("unknown key 'colour'");
    assertThatThrownBy(() -> parse("[A]\nkind = winsock\nwinsock = ten\nsummary = s\ncause = c\nfix = f\n"))
        .hasMessageContaining("'winsock' must be a decimal number, was 'ten'");
    assertThatThrownBy(() -> parse("[A]\nkind = redial\nsummary = s\ncause = c\n"))
        .hasMessageContaining("A: missing 'fix'");
    assertThatThrownBy(() -> parse("[A]\nkind = redial\nsummary = s\nsummary = t\n"))
        .hasMessageContaining("test.txt:4").hasMessageContaining("given twice");
    assertThatThrownBy(() -> parse("[A]\nkind = redial\nsummary = s\ncause = c\nfix = f\ntip = "
        + "x".repeat(41) + "\n")).hasMessageContaining("A: tip longer than 40 characters");
  }

  @Test
  void duplicateNumbersAreRejected() throws Exception {
    String two = """
        [A]
        kind = winsock
        winsock = 10056
        summary = s
        cause = c
        fix = f
        tip = t
        [B]
        kind = winsock
        winsock = 10056
        summary = s
        cause = c
        fix = f
        tip = t
        """;
    List<CatalogParser.Parsed> parsed = parse(two);
    assertThatThrownBy(() -> new Catalog(parsed))
        .hasMessage("winsock code 10056 is used by both A and B");
  }
}
