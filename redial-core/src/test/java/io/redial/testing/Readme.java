package io.redial.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks that the README shows the code between two marker lines of a test source, as is. */
public final class Readme {
  private Readme() {}

  /**
   * Fails unless the README contains the lines of {@code source} between the line
   * {@code // --- <begin> ---} and the line {@code // --- <end> ---} (indentation and blank lines
   * aside).
   */
  public static void assertShows(String source, String begin, String end) throws IOException {
    String code = Files.readString(Path.of(source));
    String from = "// --- " + begin + " ---\n";
    int start = code.indexOf(from);
    int stop = code.indexOf("// --- " + end + " ---");
    assertThat(start).as("marker '%s' in %s", begin, source).isNotNegative();
    assertThat(stop).as("marker '%s' in %s", end, source).isGreaterThan(start);
    String readme = Files.readString(Path.of("../README.md"));
    assertThat(lines(readme)).contains(lines(code.substring(start + from.length(), stop)));
  }

  private static String lines(String text) {
    return String.join("\n", text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
  }
}
