package io.redial.errors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

  private static List<String> lines(String text, int max) throws Exception {
    BoundedLineReader r = new BoundedLineReader(new StringReader(text), max);
    List<String> out = new ArrayList<>();
    for (String l = r.next(); l != null; l = r.next()) {
      out.add(l);
    }
    return out;
  }

  @Test
  void splitsLikeReadLine() throws Exception {
    assertThat(lines("a\nb\r\nc\rd", 100)).containsExactly("a", "b", "c", "d");
    assertThat(lines("a\n\nb\n", 100)).containsExactly("a", "", "b");
    assertThat(lines("\r\n", 100)).containsExactly("");
    assertThat(lines("", 100)).isEmpty();
  }

  @Test
  void cutsLongLinesAndKeepsCounting() throws Exception {
    assertThat(lines("abcdefgh\nij\n", 3)).containsExactly("abc", "ij");
  }

  @Test
  void textMatcherMatchesWholeWordsOnly() {
    TextMatcher<String> m = new TextMatcher<>();
    m.add("Connection reset", "reset");
    m.add("reset by peer", "peer");
    m.add("EPIPE", "epipe");
    m.build();
    assertThat(m.find("java: CONNECTION RESET BY PEER"))
        .extracting(TextMatcher.Occurrence::value).containsExactly("reset", "peer");
    assertThat(m.find("XEPIPE EPIPEX")).isEmpty();
    assertThat(m.find("(EPIPE)")).extracting(TextMatcher.Occurrence::start).containsExactly(1);
  }
}
