package io.redial.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** Finds the line of a test program that carries a {@code MARK: name} comment. */
final class Marks {
  private Marks() {}

  /** {@code seed.cpp:23}: the file's name and the 1-based line that carries the mark. */
  static String line(Path source, String mark) {
    List<String> lines;
    try {
      lines = Files.readAllLines(source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Pattern p = Pattern.compile("MARK: " + Pattern.quote(mark) + "(\\s|\\*|$)");
    int found = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (p.matcher(lines.get(i)).find()) {
        assertThat(found).as("mark %s appears twice in %s", mark, source).isEqualTo(-1);
        found = i + 1;
      }
    }
    assertThat(found).as("mark %s in %s", mark, source).isPositive();
    return source.getFileName() + ":" + found;
  }
}
