package io.redial.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bad usage of {@code redial chaos} is refused before anything starts, naming what is allowed. */
class ChaosCommandTest {

  @Test
  void connectionsOutOfRange() {
    assertThat(CliRun.refused("chaos", "--connections", "0"))
        .contains("--connections: connections is 0; allowed: 1 to 2000");
  }

  @Test
  void durationOutOfRange() {
    assertThat(CliRun.refused("chaos", "--duration", "500ms"))
        .contains("--duration: duration is PT0.5S; allowed: 1s to 24h");
  }

  @Test
  void notADuration() {
    assertThat(CliRun.refused("chaos", "--duration", "soon")).contains("'soon' is not a duration");
  }

  @Test
  void helpNamesTheChecks() {
    String help = CliRun.help("chaos");
    assertThat(help).contains("--connections", "--duration", "--seed", "double connects",
        "hung futures", "The same seed replays the same faults");
    assertThat(help).contains("--requests", "replies to the wrong request", "requests hung",
        "lost, no clear error", "generations not handshaken", "CONNECTION_LOST");
  }
}
