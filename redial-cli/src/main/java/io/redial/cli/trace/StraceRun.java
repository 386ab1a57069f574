package io.redial.cli.trace;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs strace on a command (or attaches it to a process) and analyses its output as it comes,
 * through a named pipe, so the program keeps its own standard streams and findings appear while
 * it runs. Findings and the summary go to {@code out}.
 */
public final class StraceRun {
  /** The calls that change what a descriptor is; nothing else is traced, to stay cheap. */
  static final String CALLS = "trace=socket,socketpair,connect,accept,accept4,close,close_range,"
      + "dup,dup2,dup3,fcntl,getsockopt,clone,clone3,fork,vfork";
  /** How long the output may take to drain after strace has exited. */
  private static final long DRAIN_SECONDS = 30;

  private final Path strace;
  private final Addr2Line lines;
  private final PrintWriter out;

  public StraceRun(Path strace, Optional<Path> addr2line, PrintWriter out) {
    this.strace = strace;
    this.lines = new Addr2Line(addr2line);
    this.out = out;
  }

  /** Traces {@code command} to its end; returns its exit status. */
  public int command(List<String> command) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("--"));
    args.addAll(command);
    return run(args, null, true);
  }

  /**
   * Traces the running process {@code pid} (all its threads) until it exits, or for
   * {@code duration} when given; returns 0, or strace's status when it could not attach.
   */
  public int attach(long pid, Duration duration) throws IOException, InterruptedException {
    return run(List.of("-p", Long.toString(pid)), duration, false);
  }

  private int run(List<String> target, Duration duration, boolean passStatus)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("redial-trace");
    Path fifo = dir.resolve("strace.out");
    try {
      mkfifo(fifo);
      List<String> cmd = new ArrayList<>(List.of(strace.toString(), "-f", "-k", "-qq",
          "-e", CALLS, "-e", "signal=none", "-o", fifo.toString()));
      cmd.addAll(target);
      TraceAnalyzer analyzer = new TraceAnalyzer(this::print);
      Thread reader = new Thread(() -> read(fifo, analyzer), "redial-trace-reader");
      reader.setDaemon(true);
      reader.start();
      Process p = new ProcessBuilder(cmd).inheritIO().start();
      int status;
      if (duration != null) {
        if (!p.waitFor(duration.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroy(); // strace detaches on SIGTERM and leaves the process running
        }
      }
      status = p.waitFor();
      reader.join(TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
      if (reader.isAlive()) {
        release(fifo); // strace never opened its output (it failed to start)
        reader.join(TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
      }
      synchronized (out) {
        out.print(TraceReport.summary(analyzer.counts(), analyzer.socketsSeen(),
            analyzer.stillOpen()));
        out.println(TraceReport.PREFIX + (passStatus ? "the program exited with status "
            + status : "strace detached with status " + status));
        out.flush();
      }
      return passStatus || status != 0 ? status : 0;
    } finally {
      Files.deleteIfExists(fifo);
      Files.deleteIfExists(dir);
    }
  }

  private void read(Path fifo, TraceAnalyzer analyzer) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new FileInputStream(fifo.toFile()), StandardCharsets.UTF_8))) {
      new StraceReader(analyzer).readAll(in);
    } catch (IOException e) {
      synchronized (out) {
        out.println(TraceReport.PREFIX + "cannot read strace's output: " + e.getMessage());
        out.flush();
      }
    }
    analyzer.end();
  }

  private void print(TraceFinding f) {
    String text = new TraceReport(lines).render(f);
    synchronized (out) {
      out.print(text);
      out.flush();
    }
  }

  /** Opens the pipe for writing and closes it, so a reader blocked in open() sees its end. */
  private static void release(Path fifo) {
    Thread t = new Thread(() -> {
      try {
        new FileOutputStream(fifo.toFile()).close();
      } catch (IOException e) {
        // Nobody to release: the reader is gone already.
      }
    }, "redial-trace-release");
    t.setDaemon(true);
    t.start();
  }

  private static void mkfifo(Path fifo) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString())
        .redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new UncheckedIOException(new IOException("mkfifo " + fifo + " failed: " + said));
    }
  }
}
