package io.redial.cli;

import io.redial.cli.trace.StraceRun;
import io.redial.cli.trace.Tools;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code redial trace}: the agent's socket checks for any Linux program, read from strace. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    versionProvider = RedialCommand.Version.class,
    description = {
        "Runs a program (C, C++, Python, Go, anything) under strace -f -k and reports a connect()",
        "on a socket that is already connected, one while another is pending, and one on a closed",
        "descriptor, each with the stacks of both calls (file:line when the program has debug",
        "information and addr2line is installed) and what the error means. The program keeps its",
        "own input and output; findings go to stderr; its exit status is passed through."
    },
    footer = {
        "",
        "Needs Linux, strace and (for file:line) addr2line from binutils.",
        "Exit status: the program's own; with -p, 0 once strace detaches; 2 bad usage;",
        "69 strace missing or not Linux.",
        "",
        "Examples:",
        "  redial trace -- ./client --retry 3",
        "  redial trace python3 client.py",
        "  redial trace -p 4242 --for 60s"
    })
final class TraceCommand implements Callable<Integer> {
  /** sysexits.h EX_UNAVAILABLE: a tool the command needs is missing. */
  static final int EXIT_UNAVAILABLE = 69;

  @Spec CommandSpec spec;

  @Option(names = {"-p", "--pid"}, paramLabel = "PID",
      description = "Trace this running process (all its threads) instead of starting one.")
  Long pid;

  @Option(names = "--for", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "With -p: detach after this long (e.g. 30s, 5m); default: until it exits.")
  Duration duration;

  /** Where strace and addr2line are looked for; PATH unless a test says otherwise. */
  @Option(names = "--tool-path", hidden = true, paramLabel = "DIRS")
  String toolPath = System.getenv("PATH");

  @Parameters(arity = "0..*", paramLabel = "COMMAND",
      description = "The program and its arguments; put -- before it when they start with '-'.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (pid == null && command.isEmpty()) {
      throw new ParameterException(spec.commandLine(),
          "nothing to trace: give a command (redial trace -- ./client) or -p PID");
    }
    if (pid != null && !command.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "give either -p PID or a command, not both"
          + " (got -p " + pid + " and '" + Terminal.sanitize(command.get(0), RedialCommand.MAX_ECHO)
          + "')");
    }
    if (pid != null && pid <= 0) {
      throw new ParameterException(spec.commandLine(),
          "-p: '" + pid + "' is not a process id; allowed: a positive number");
    }
    if (duration != null && pid == null) {
      throw new ParameterException(spec.commandLine(),
          "--for only applies with -p; a command is traced until it exits");
    }
    PrintWriter err = spec.commandLine().getErr();
    String os = System.getProperty("os.name");
    if (!Tools.isLinux(os)) {
      err.println("redial trace: runs only on Linux (strace is Linux-only); this is " + os
          + ". On the JVM, use the agent: java -javaagent:redial-agent.jar ...");
      err.flush();
      return EXIT_UNAVAILABLE;
    }
    Optional<Path> strace = Tools.find("strace", toolPath);
    if (strace.isEmpty()) {
      err.println(Tools.INSTALL_STRACE);
      err.flush();
      return EXIT_UNAVAILABLE;
    }
    Optional<Path> addr2line = Tools.find("addr2line", toolPath);
    if (addr2line.isEmpty()) {
      err.println("redial trace: " + Tools.INSTALL_BINUTILS);
      err.flush();
    }
    StraceRun run = new StraceRun(strace.get(), addr2line, err);
    return pid != null ? run.attach(pid, duration) : run.command(command);
  }
}
