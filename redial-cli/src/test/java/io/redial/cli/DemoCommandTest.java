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
        .hasMessageContaining("is not a duration; allowed: a number of seconds, or numbers with a unit ms, s, m or h");
  }

  @Test
  void badDurationNamesTheOptionTheValueAndTheRange() {
    CliRun r = CliRun.run("demo", "--duration", "3s");
    assertThat(r.exit()).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(r.err()).contains("--duration: duration is 3s; allowed: 5s to 10m");
    CliRun bare = CliRun.run("demo", "--duration", "3"); // a bare number is seconds
    assertThat(bare.exit()).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(bare.err()).contains("--duration: duration is 3s; allowed: 5s to 10m");
    CliRun unit = CliRun.run("demo", "--duration", "3 hours");
    assertThat(unit.exit()).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(unit.err()).contains("--duration", "'3 hours' is not a duration");
  }

  @Test
  void badConnectionsNamesTheOptionTheValueAndTheRange() {
    for (String n : new String[] {"0", "1001", "-3"}) {
      CliRun r = CliRun.run("demo", "--connections", n);
      assertThat(r.exit()).isEqualTo(RedialCommand.EXIT_USAGE);
      assertThat(r.err()).contains("--connections: connections is " + n + "; allowed: 1 to 1000");
    }
  }

  @Test
  void unwritableReportIsRefusedBeforeTheRun(@TempDir Path dir) throws Exception {
    CliRun folder = CliRun.run("demo", "--report", dir.toString());
    assertThat(folder.exit()).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(folder.err()).contains("--report: '" + dir + "' is a directory");
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    CliRun under = CliRun.run("demo", "--report", file.resolve("demo.html").toString());
    assertThat(under.exit()).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(under.err()).contains("--report: cannot create the folder of");
  }

  @Test
  void helpDefinesTheVerdict() {
    CliRun r = CliRun.run("demo", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--connections", "--duration", "--seed", "--report",
        "lost", "duplicated", "out of order", "double connects", "leaked sockets",
        "Exit status: 0 every invariant held, 1 one did not");
  }
}
