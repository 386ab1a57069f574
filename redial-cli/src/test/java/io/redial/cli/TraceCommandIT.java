package io.redial.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.cli.trace.Tools;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code redial trace} on small C and C++ programs compiled with gcc here, each connecting only
 * to a loopback server this test starts (or, for two threads, to its own loopback listener).
 * strace, gcc, g++ and addr2line must be installed ({@code scripts/test} installs them): a
 * missing one fails the test.
 */
class TraceCommandIT {
  private static final Path SOURCES = Path.of("src/test/resources/io/redial/cli/trace");
  private static final Path BUILT = Path.of("target/trace-programs");
  private static ServerSocket server;
  private static Thread acceptor;

  @BeforeAll
  static void compileAndListen() throws Exception {
    String path = System.getenv("PATH");
    for (String tool : List.of("strace", "gcc", "g++", "addr2line")) {
      assertThat(Tools.find(tool, path)).as("%s on PATH (scripts/test installs it)", tool)
          .isPresent();
    }
    Files.createDirectories(BUILT);
    compile("g++", "seed.cpp", "seed");
    for (String c : List.of("nonblocking_twice", "two_threads", "clean", "reuse_after_close",
        "late_double_connect")) {
      compile("gcc", c + ".c", c);
    }
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(() -> {
      List<Socket> held = new ArrayList<>();
      try {
        while (held.size() < 1000) {
          held.add(server.accept()); // held open until the server closes
        }
      } catch (IOException e) {
        // closed at the end of the class
      } finally {
        for (Socket s : held) {
          try {
            s.close();
          } catch (IOException ignored) {
            // closing anyway
          }
        }
      }
    }, "trace-it-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    acceptor.join(10_000);
  }

  private static void compile(String compiler, String source, String out) throws Exception {
    Process p = new ProcessBuilder(compiler, "-g", "-O0", "-pthread", "-o",
        BUILT.resolve(out).toString(), SOURCES.resolve(source).toString())
        .redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s %s: %s", compiler, source, said).isZero();
  }

  private static String program(String name) {
    return BUILT.resolve(name).toAbsolutePath().toString();
  }

  private static String port() {
    return Integer.toString(server.getLocalPort());
  }

  static String line(String source, String mark) {
    return Marks.line(SOURCES.resolve(source), mark);
  }

  /** The lines of the block that starts with {@code [redial trace] PATTERN}. */
  static List<String> block(String err, String pattern) {
    List<String> block = new ArrayList<>();
    boolean in = false;
    for (String l : err.split("\n")) {
      if (l.startsWith("[redial trace] ")) {
        in = l.startsWith("[redial trace] " + pattern + " ");
        if (in && !block.isEmpty()) {
          throw new AssertionError("two " + pattern + " blocks in:\n" + err);
        }
      }
      if (in) {
        block.add(l);
      }
    }
    assertThat(block).as("a %s block in:\n%s", pattern, err).isNotEmpty();
    return block;
  }

  /** The frames listed under {@code role} in a block. */
  static List<String> frames(List<String> block, String role) {
    List<String> frames = new ArrayList<>();
    boolean in = false;
    for (String l : block) {
      if (l.startsWith("  ") && !l.startsWith("      ")) {
        in = l.startsWith("  " + role + ":");
      } else if (in && l.startsWith("      at ")) {
        frames.add(l.strip());
      }
    }
    return frames;
  }

  @Test
  void thePagesOwnExampleIsADoubleConnectAtItsLines() throws Exception {
    CliRun r = CliRun.run("trace", "--", program("seed"), port());

    assertThat(r.exit()).as(r.err()).isZero();
    List<String> b = block(r.err(), "DOUBLE_CONNECT");
    assertThat(b.get(0)).contains("DOUBLE_CONNECT (WSAEISCONN / EISCONN)", "already connected");
    assertThat(String.join("\n", b)).contains("target: 127.0.0.1:" + port())
        .contains("= -1 EISCONN (Transport endpoint is already connected)")
        .contains("what it means: ", "fix: ");
    assertThat(frames(b, "first connect"))
        .anyMatch(f -> f.contains(line("seed.cpp", "first-connect") + ")"));
    assertThat(frames(b, "this connect"))
        .anyMatch(f -> f.startsWith("at main (") && f.contains(line("seed.cpp", "reconnect") + ")"));
    assertThat(r.err()).contains("[redial trace] summary: DOUBLE_CONNECT=1, CONNECT_PENDING=0,"
        + " CONNECT_AFTER_CLOSE=0, sockets seen=1, not closed by the program=0")
        .contains("the program exited with status 0");
  }

  @Test
  void aNonBlockingConnectCalledTwiceIsAConnectWhilePending() throws Exception {
    CliRun r = CliRun.run("trace", program("nonblocking_twice"), port());

    assertThat(r.exit()).as(r.err()).isZero();
    List<String> b = block(r.err(), "CONNECT_PENDING");
    assertThat(frames(b, "pending connect"))
        .anyMatch(f -> f.contains(line("nonblocking_twice.c", "first-connect") + ")"));
    assertThat(frames(b, "this connect"))
        .anyMatch(f -> f.contains(line("nonblocking_twice.c", "second-connect") + ")"));
    assertThat(String.join("\n", b)).contains("EINPROGRESS");
    assertThat(r.err()).contains("CONNECT_PENDING=1");
  }

  @Test
  void twoThreadsOnOneSocketAreAConnectWhilePending() throws Exception {
    CliRun r = CliRun.run("trace", program("two_threads"));

    assertThat(r.exit()).as(r.err()).isZero();
    List<String> b = block(r.err(), "CONNECT_PENDING");
    assertThat(frames(b, "pending connect"))
        .anyMatch(f -> f.startsWith("at connector (")
            && f.contains(line("two_threads.c", "first-thread") + ")"));
    assertThat(frames(b, "this connect"))
        .anyMatch(f -> f.contains(line("two_threads.c", "second-thread") + ")"));
    assertThat(String.join("\n", b)).contains("EALREADY");
    assertThat(r.err()).contains("DOUBLE_CONNECT=0, CONNECT_PENDING=1, CONNECT_AFTER_CLOSE=0");
  }

  @Test
  void aConnectOnAClosedDescriptorNamesTheClose() throws Exception {
    CliRun r = CliRun.run("trace", program("reuse_after_close"), port());

    assertThat(r.exit()).as(r.err()).isZero();
    List<String> b = block(r.err(), "CONNECT_AFTER_CLOSE");
    assertThat(frames(b, "closed"))
        .anyMatch(f -> f.contains(line("reuse_after_close.c", "close") + ")"));
    assertThat(frames(b, "this connect"))
        .anyMatch(f -> f.contains(line("reuse_after_close.c", "reconnect") + ")"));
    assertThat(String.join("\n", b)).contains("EBADF");
  }

  @Test
  void aCleanClientThatExitsNonZeroHasNoFindingAndKeepsItsStatus() throws Exception {
    CliRun r = CliRun.run("trace", "--", program("clean"), port(), "3");

    assertThat(r.exit()).as(r.err()).isEqualTo(3);
    assertThat(r.err()).doesNotContain("DOUBLE_CONNECT (", "CONNECT_PENDING (",
            "CONNECT_AFTER_CLOSE (")
        .contains("[redial trace] summary: no socket misuse seen; DOUBLE_CONNECT=0,"
            + " CONNECT_PENDING=0, CONNECT_AFTER_CLOSE=0, sockets seen=4,"
            + " not closed by the program=0")
        .contains("the program exited with status 3");
  }

  @Test
  void attachesToARunningProgram() throws Exception {
    Process p = new ProcessBuilder(program("late_double_connect"), port())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      CompletableFuture<CliRun> trace = CompletableFuture.supplyAsync(
          () -> CliRun.run("trace", "-p", Long.toString(p.pid()), "--for", "60s"));
      awaitTraced(p.pid());
      try (OutputStream in = p.getOutputStream()) {
        in.write("go\n".getBytes(StandardCharsets.US_ASCII));
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      CliRun r = trace.get(60, TimeUnit.SECONDS);

      assertThat(r.exit()).as(r.err()).isZero();
      List<String> b = block(r.err(), "DOUBLE_CONNECT");
      assertThat(frames(b, "this connect"))
          .anyMatch(f -> f.contains(line("late_double_connect.c", "reconnect") + ")"));
      assertThat(r.err()).contains("DOUBLE_CONNECT=1", "strace detached with status 0");
    } finally {
      p.destroyForcibly();
    }
  }

  /** Until the kernel names a tracer for every thread of {@code pid}: bounded by 600 polls. */
  private static void awaitTraced(long pid) throws Exception {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    for (int i = 0; i < 600; i++) {
      String tracer = Files.readAllLines(status).stream()
          .filter(l -> l.startsWith("TracerPid:")).findFirst().orElse("TracerPid:\t0");
      if (!tracer.endsWith("\t0")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("strace did not attach to " + pid + " within 60 s");
  }
}
