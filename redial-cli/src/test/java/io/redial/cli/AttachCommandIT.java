package io.redial.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.cli.attach.PreAttachProgram;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code redial attach} end to end: a child JVM (on every JDK the machine has) opens a socket,
 * the agent is attached, then the child misuses that socket; the report must reach the attach
 * terminal and the child's stderr, naming what happened before the attach for what it is.
 */
class AttachCommandIT {
  static final Path NEWER_JDK = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  static final Path SOURCE = Path.of("src/test/java/io/redial/cli/attach/PreAttachProgram.java");

  static Stream<Path> javas() {
    List<Path> javas = new ArrayList<>();
    javas.add(Path.of(System.getProperty("java.home"), "bin", "java"));
    if (Files.isExecutable(NEWER_JDK)) {
      javas.add(NEWER_JDK);
    }
    return javas.stream();
  }

  /** What the child printed and what {@code redial attach} printed. */
  record Outcome(String attachOut, String attachErr, int attachExit, String childOut,
      String childErr, int childExit) {}

  /** Runs the child in {@code mode}, attaches once it is ready, then lets it go on. */
  static Outcome run(Path java, String mode) throws Exception {
    return run(java, mode, "60s", false);
  }

  /**
   * Like {@link #run(Path, String)} with a watch of {@code watch}; with {@code afterWatch} the
   * child goes on only once the watch is over.
   */
  static Outcome run(Path java, String mode, String watch, boolean afterWatch) throws Exception {
    String cp = Path.of("target/test-classes").toAbsolutePath().toString();
    Path childErr = Files.createTempFile("attach-it", ".err");
    Process child = new ProcessBuilder(java.toString(), "-Xmx128m", "-cp", cp,
        PreAttachProgram.class.getName(), mode).redirectError(childErr.toFile()).start();
    try {
      BufferedReader childOut = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder childText = new StringBuilder();
      String line;
      while ((line = childOut.readLine()) != null) {
        childText.append(line).append('\n');
        if (line.equals("ready")) {
          break;
        }
      }
      assertThat(childText.toString()).as(Files.readString(childErr)).contains("ready");

      StringWriter out = new StringWriter(); // StringBuffer inside: safe to read while written
      StringWriter err = new StringWriter();
      CompletableFuture<Integer> attach = CompletableFuture.supplyAsync(() -> {
        CommandLine cl = RedialCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute("attach", Long.toString(child.pid()), "--watch", watch);
      });
      // Go on once the agent is in (loadAgent has returned); bounded: 1200 looks, 100 ms apart.
      for (int i = 0; i < 1200 && !out.toString().contains("agent loaded") && !attach.isDone();
          i++) {
        Thread.sleep(100);
      }
      assertThat(out.toString()).as("attach stderr: %s", err).contains("agent loaded");
      if (afterWatch) {
        attach.get(90, TimeUnit.SECONDS);
      }
      try (OutputStream in = child.getOutputStream()) {
        in.write("go\n".getBytes(StandardCharsets.US_ASCII));
      }
      String rest = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      int exit = attach.get(90, TimeUnit.SECONDS);
      return new Outcome(out.toString(), err.toString(), exit, childText + rest,
          Files.readString(childErr), child.exitValue());
    } finally {
      child.destroyForcibly();
      Files.deleteIfExists(childErr);
    }
  }

  /** The report block of {@code pattern} in {@code text}. */
  static String block(String text, String pattern) {
    int start = text.indexOf("[redial-agent] " + pattern + " (");
    assertThat(start).as("a %s report in:\n%s", pattern, text).isNotNegative();
    int end = text.indexOf("[redial-agent] ", start + 1);
    return text.substring(start, end < 0 ? text.length() : end);
  }

  static String frame(String mark) {
    return Marks.line(SOURCE, mark);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void aChannelConnectedBeforeTheAttachAndConnectedAgainIsADoubleConnect(Path java)
      throws Exception {
    Outcome o = run(java, "double");

    assertThat(o.attachExit()).as(o.attachErr()).isZero();
    assertThat(o.childOut()).contains("after attach: java.nio.channels.AlreadyConnectedException");
    for (String where : List.of(o.attachOut(), o.childErr())) {
      String b = block(where, "DOUBLE_CONNECT");
      assertThat(b).contains("first connect: connected before the agent was attached")
          .contains("(" + frame("after-attach") + ")");
    }
    assertThat(o.attachOut()).contains("summary: DOUBLE_CONNECT=1, CONNECT_PENDING=0,"
        + " CONNECT_AFTER_CLOSE=0");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void aConnectWhileAConnectFromBeforeTheAttachIsPendingIsReported(Path java) throws Exception {
    Outcome o = run(java, "pending");

    assertThat(o.childOut()).contains("connected at once: false")
        .contains("after attach: java.nio.channels.ConnectionPendingException");
    String b = block(o.attachOut(), "CONNECT_PENDING");
    assertThat(b).contains("pending connect: a connect started before the agent was attached")
        .contains("(" + frame("after-attach") + ")");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void aConnectOnAChannelClosedBeforeTheAttachIsAConnectAfterClose(Path java) throws Exception {
    Outcome o = run(java, "closed");

    // JDK 17 says AsynchronousCloseException (a ClosedChannelException), JDK 25 the base class.
    assertThat(o.childOut()).containsPattern(
        "after attach: java\\.nio\\.channels\\.(ClosedChannel|AsynchronousClose)Exception");
    String b = block(o.attachOut(), "CONNECT_AFTER_CLOSE");
    assertThat(b).contains("closed: closed before the agent was attached")
        .contains("(" + frame("after-attach") + ")");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void aCleanProgramReportsNothing(Path java) throws Exception {
    Outcome o = run(java, "clean");

    assertThat(o.childExit()).isZero();
    assertThat(o.childOut()).contains("done").doesNotContain("after attach:");
    assertThat(o.attachOut()).doesNotContain("DOUBLE_CONNECT (", "CONNECT_PENDING (",
            "CONNECT_AFTER_CLOSE (", "LEAKED_SOCKET (")
        .contains("[redial-agent] summary: no socket misuse seen;");
    assertThat(o.childErr()).doesNotContain("DOUBLE_CONNECT (", "INTERNAL ERROR");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void afterTheWatchTheAgentIsInertAndSaysSo(Path java) throws Exception {
    Outcome o = run(java, "double", "1s", true);

    assertThat(o.attachOut()).contains("[redial-agent] summary: no socket misuse seen;")
        .contains("[redial attach] watch over; the agent stays loaded but inert");
    assertThat(o.childOut()).contains("after attach: java.nio.channels.AlreadyConnectedException");
    assertThat(o.childErr()).doesNotContain("DOUBLE_CONNECT (");
    assertThat(o.childErr().lines().filter(l -> l.startsWith("[redial-agent] summary:")))
        .as("one summary, at the end of the watch; none at exit").hasSize(1);
  }
}
