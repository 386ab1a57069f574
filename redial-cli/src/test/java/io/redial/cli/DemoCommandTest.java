package io.redial.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The demo's command line; the runs themselves are in {@code DemoIT}. */
class DemoCommandTest {

  @ParameterizedTest
  @CsvSource({"10s, PT10S", "1m, PT1M", "90s, PT1M30S", "1m30s, PT1M30S", "8000ms, PT8S",
      "' 2M ', PT2M", "20, PT20S", "' 5 ', PT5S", "0, PT0S", "1h, PT1H", "1h30m, PT1H30M"})
  void readsDurations(String text, String expected) {
    assertThat(new DurationConverter().convert(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @CsvSource({"''", "s", "10 s", "-5s", "-5", "1d", "10s5", "99999999s", "99999999", "1.5"})
  void refusesOtherDurations(String text) {
    assertThatThrownBy(() -> new DurationConverter().convert(text))
        .hasMessageContaining("is not a duration; allowed: a number of seconds, or numbers with a unit")
        .hasMessageContaining("ms, s, m or h");
  }

  @Test
  void badDurationNamesTheOptionTheValueAndTheRange() {
    assertThat(CliRun.refused("demo", "--duration", "3s"))
        .contains("--duration: duration is 3s; allowed: 5s to 10m");
    assertThat(CliRun.refused("demo", "--duration", "3")) // a bare number is seconds
        .contains("--duration: duration is 3s; allowed: 5s to 10m");
    assertThat(CliRun.refused("demo", "--duration", "3 hours"))
        .contains("--duration", "'3 hours' is not a duration");
  }

  @Test
  void badConnectionsNamesTheOptionTheValueAndTheRange() {
    for (String n : new String[] {"0", "1001", "-3"}) {
      assertThat(CliRun.refused("demo", "--connections", n))
          .contains("--connections: connections is " + n + "; allowed: 1 to 1000");
    }
  }

  @Test
  void unwritableReportIsRefusedBeforeTheRun(@TempDir Path dir) throws Exception {
    assertThat(CliRun.refused("demo", "--report", dir.toString()))
        .contains("--report: '" + dir + "' is a directory");
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    assertThat(CliRun.refused("demo", "--report", file.resolve("demo.html").toString()))
        .contains("--report: cannot create the folder of");
  }

  @Test
  void helpDefinesTheVerdict() {
    assertThat(CliRun.help("demo")).contains("--connections", "--duration", "--seed", "--report",
        "lost", "duplicated", "out of order", "double connects", "leaked sockets",
        "Exit status: 0 every invariant held, 1 one did not");
  }
}
