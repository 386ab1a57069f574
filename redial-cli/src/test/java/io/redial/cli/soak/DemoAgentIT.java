package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo under Redial's own {@code -javaagent}: the agent must find nothing to report. */
class DemoAgentIT {
  @TempDir Path dir;

  @Test
  void agentReportsNothing() throws Exception {
    String agent = System.getProperty("redial.agent.jar");
    // A missing agent fails the test: it is built before this module (a test dependency).
    assertThat(agent).as("system property redial.agent.jar (set by failsafe)").isNotNull();
    assertThat(Path.of(agent)).as("the agent jar; run 'mvn package' first").isRegularFile();
    DemoProcess r = DemoProcess.run(dir, List.of("-javaagent:" + agent), "--duration", "8s",
        "--connections", "8", "--seed", "7");

    assertThat(r.exit()).as("stdout:\n%s\nstderr:\n%s", r.out(), r.err()).isZero();
    List<String> agentLines = r.err().lines().filter(l -> l.contains("[redial-agent]")).toList();
    assertThat(agentLines).as(r.err()).hasSize(1);
    assertThat(agentLines.get(0)).startsWith("[redial-agent] summary: no socket misuse seen;")
        .contains("internal errors=0");
    assertThat(r.err()).doesNotContain("\tat ");
  }
}
