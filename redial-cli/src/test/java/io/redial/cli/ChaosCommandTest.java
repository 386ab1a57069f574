package io.redial.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bad usage of {@code redial chaos} is refused before anything starts, naming what is allowed. */
class ChaosCommandTest {

  @Test
  void connectionsOutOfRange() {
    CliRun r = CliRun.run("chaos", "--connections", "0");
    assertThat(r.exit()).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(r.err()).contains("--connections: connections is 0; allowed: 1 to 2000");
  }

  @Test
  void durationOutOfRange() {
    CliRun r = CliRun.run("chaos", "--duration", "500ms");
    assertThat(r.exit()).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(r.err()).contains("--duration: duration is PT0.5S; allowed: 1s to 24h");
  }

  @Test
  void notADuration() {
    CliRun r = CliRun.run("chaos", "--duration", "soon");
    assertThat(r.exit()).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(r.err()).contains("'soon' is not a duration");
  }

  @Test
  void helpNamesTheChecks() {
    CliRun r = CliRun.run("chaos", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--connections", "--duration", "--seed", "double connects",
        "hung futures", "The same seed replays the same faults");
    assertThat(r.out()).contains("--requests", "replies to the wrong request", "requests hung",
        "lost, no clear error", "generations not handshaken", "CONNECTION_LOST");
  }
}
