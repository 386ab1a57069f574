package io.redial.cli;

import io.redial.cli.soak.DemoRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code redial demo}: managed connections through a scripted series of faults, a live view, and a
 * verdict whose exit status says whether every invariant held.
 */
@Command(
    name = "demo",
    description = {
        "Runs an in-process echo server, a fault proxy in front of it, and managed connections that",
        "send numbered frames and check every echo, through a seeded script of faults: a server",
        "restart, a reset of every connection, a blackhole that only heartbeats notice, latency, a",
        "bandwidth limit and refused connects. Ends with a verdict; exits 0 only if it holds."
    },
    footer = {
        "",
        "The verdict (the demo fails unless every count marked ok/FAIL is 0):",
        "  lost             frames never echoed by the end. TCP cannot tell whether bytes handed to a",
        "                   socket that then died arrived, so the demo does what an application must:",
        "                   it keeps each frame until its echo, and re-sends it (with a higher attempt",
        "                   number) after a reconnect if its send had completed unechoed, or when the",
        "                   echo of a frame written after it on the same connection came first.",
        "  duplicated       the server got the same (connection, sequence, attempt) twice, or a client",
        "                   got a second echo of one sequence number.",
        "  out of order     first-attempt frames not in increasing order on one server socket, or in",
        "                   the echoes one client received.",
        "  double connects  two server-side sockets of one managed connection open at once for more",
        "                   than 2 s (a socket whose close is under way is gone sooner).",
        "  leaked sockets   network sockets open after everything closed, minus those open before",
        "                   (Linux: /proc/self/fd; not counted elsewhere).",
        "Also shown: frames sent and echoed, re-sends, reconnects, and the longest time from the",
        "blackhole's start to a connection's heartbeat miss (heartbeat 500 ms + 500 ms).",
        "",
        "Ranges: --connections 1 to " + DemoRun.Options.MAX_CONNECTIONS + ", --duration 5s to 10m.",
        "Exit status: 0 every invariant held, 1 one did not, 2 bad usage.",
        "",
        "Examples:",
        "  redial demo",
        "  redial demo --duration 10s --connections 8 --report demo.html",
        "  redial demo --seed 42            (the same seed plays the same schedule)"
    })
final class DemoCommand extends SoakCommand<DemoRun.Options> {
  DemoCommand() {
    super(32, "30s");
  }

  @Option(names = "--report", paramLabel = "FILE.html",
      description = "Also write a one-page HTML report with a timeline chart.")
  Path report;

  @Option(names = "--color", paramLabel = "auto|always|never", defaultValue = "auto",
      description = "Colour and redraw in place: auto (only on a terminal), always, never.")
  Terminal.ColorMode color;

  @Override
  DemoRun.Options options(long seed) {
    return new DemoRun.Options(connections, duration, seed, report);
  }

  @Override
  void prepare(DemoRun.Options options) {
    if (report != null) {
      checkReport(report);
    }
  }

  @Override
  boolean run(DemoRun.Options options, PrintWriter out) throws InterruptedException {
    Terminal terminal = Terminal.of(color);
    boolean inPlace = color == Terminal.ColorMode.ALWAYS
        || color == Terminal.ColorMode.AUTO && Terminal.stdoutIsTerminal();
    DemoRun.Result result = new DemoRun(options, out, inPlace, terminal::bold, Json::write).run();
    out.println();
    out.println(terminal.heading("verdict"));
    for (String line : result.verdictLines()) {
      out.println(line.contains("FAIL") ? terminal.red(line) : line);
    }
    out.println(result.passed() ? terminal.bold("PASS: every invariant held")
        : terminal.red("FAIL: an invariant did not hold (see above)"));
    result.report().ifPresent(p -> out.println("report: " + p.toAbsolutePath()));
    return result.passed();
  }

  /** Fails now, not after the run, when the report cannot be written. */
  private void checkReport(Path file) {
    String shown = "'" + Terminal.sanitize(file.toString(), RedialCommand.MAX_ECHO) + "'";
    if (Files.isDirectory(file)) {
      throw new ParameterException(spec.commandLine(), "--report: " + shown
          + " is a directory; allowed: a file name, e.g. demo.html");
    }
    Path parent = file.toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException | RuntimeException e) {
      throw new ParameterException(spec.commandLine(), "--report: cannot create the folder of "
          + shown + ": " + Terminal.sanitize(String.valueOf(e.getMessage()), 200));
    }
    if (parent != null && !Files.isWritable(parent) || Files.exists(file) && !Files.isWritable(file)) {
      throw new ParameterException(spec.commandLine(), "--report: " + shown + " is not writable");
    }
  }
}
