package io.redial.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.cli.attach.SocketsProgram;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code redial sockets} on a child JVM holding three loopback sockets, with and without the agent. */
class SocketsCommandIT {
  static final Path SOURCE = Path.of("src/test/java/io/redial/cli/attach/SocketsProgram.java");

  static String frame(String mark) {
    return Marks.line(SOURCE, mark);
  }

  /** Runs the program (with the agent when {@code agent}), then {@code redial sockets} on it. */
  static CliRun socketsOf(boolean agent) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m"));
    if (agent) {
      String jar = System.getProperty("redial.agent.jar");
      assertThat(jar).as("redial.agent.jar (set by failsafe)").isNotNull();
      cmd.add("-javaagent:" + jar);
    }
    cmd.addAll(List.of("-cp", Path.of("target/test-classes").toAbsolutePath().toString(),
        SocketsProgram.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      String ready = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8)).readLine();
      assertThat(ready).startsWith("ready");
      return CliRun.run("sockets", Long.toString(p.pid()));
    } finally {
      p.getOutputStream().close();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void withTheAgentEachSocketHasItsJavaTypeAgeAndOpeningLine() throws Exception {
    CliRun r = socketsOf(true);

    assertThat(r.exit()).as(r.err()).isZero();
    String out = r.out();
    assertThat(out).contains("known to the agent")
        .containsPattern("LISTEN +127\\.0\\.0\\.1:\\d+")
        .containsPattern("ESTABLISHED +127\\.0\\.0\\.1:\\d+ +127\\.0\\.0\\.1:\\d+ +\\d+\\.\\d s"
            + "  java\\.nio\\.channels\\.SocketChannel#\\d+")
        .containsPattern("ESTABLISHED .* java\\.net\\.Socket#\\d+")
        .contains("opened at io.redial.cli.attach.SocketsProgram.main(" + frame("open-channel")
            + ")")
        .contains("opened at io.redial.cli.attach.SocketsProgram.main(" + frame("open-socket")
            + ")");
    // Only the two client ends: the server never accept()ed, so it holds no descriptor for them.
    assertThat(out.lines().filter(l -> l.contains("ESTABLISHED"))).hasSize(2);
  }

  @Test
  void withoutTheAgentTheKernelsViewIsListedAndTheAgentIsNotStarted() throws Exception {
    CliRun r = socketsOf(false);

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("the agent is not active in this JVM")
        .containsPattern("LISTEN +127\\.0\\.0\\.1:\\d+")
        .containsPattern("ESTABLISHED +127\\.0\\.0\\.1:\\d+ +127\\.0\\.0\\.1:\\d+")
        .doesNotContain("opened at", "SocketChannel#");
  }

  @Test
  void aProcessThatDoesNotExistIsSaidSo() {
    CliRun r = CliRun.run("sockets", "999999999");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no process 999999999");
  }
}
