package io.redial.cli;

import io.redial.cli.attach.AgentJar;
import io.redial.cli.attach.Attacher;
import io.redial.cli.attach.TeeTail;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code redial attach}: the agent into a running JVM, without a restart. */
@Command(
    name = "attach",
    mixinStandardHelpOptions = true,
    versionProvider = RedialCommand.Version.class,
    description = {
        "Loads the Redial agent into a running JVM (jdk.attach) and prints its reports here while",
        "it watches; they also go where the agent options say in the target (default: its",
        "stderr). Sockets older than the agent are judged by their state when first seen: a",
        "connect on a socket connected before the attach is reported as a double connect. When the",
        "watch ends the agent prints its summary and goes inert (one volatile read per socket call)."
    },
    footer = {
        "",
        "Agent options: report=stderr|file:PATH, leaks=on|off, stackDepth=1..1024, stacks=one|all,",
        "stackRate=0..1000000|unlimited (stacks recorded per second at most; default 1000).",
        "Exit status: 0 watched, 1 could not attach, 2 bad usage.",
        "",
        "Examples:",
        "  redial attach 4242",
        "  redial attach 4242 --watch 10m report=file:/tmp/redial.jsonl"
    })
final class AttachCommand implements Callable<Integer> {
  static final int EXIT_NOT_ATTACHED = 1;
  /** How long after the watch the agent gets to print its summary. */
  static final Duration GRACE = Duration.ofSeconds(30);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PID", description = "The JVM's process id.")
  long pid;

  @Parameters(index = "1", arity = "0..1", paramLabel = "AGENT_OPTIONS",
      description = "Passed to the agent, e.g. report=file:/tmp/r.jsonl,leaks=off.")
  String agentOptions;

  @Option(names = "--watch", paramLabel = "DURATION", defaultValue = "60s",
      converter = DurationConverter.class,
      description = "How long to watch (default: ${DEFAULT-VALUE}); then the agent goes inert.")
  Duration watch;

  @Option(names = "--agent-jar", paramLabel = "FILE",
      description = "The agent jar (default: beside redial.jar, or REDIAL_AGENT_JAR).")
  Path agentJar;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (pid <= 0) {
      throw new ParameterException(spec.commandLine(),
          "PID: '" + pid + "' is not a process id; allowed: a positive number");
    }
    if (watch.isZero() || watch.isNegative()) {
      throw new ParameterException(spec.commandLine(),
          "--watch: must be longer than 0, e.g. 30s or 10m");
    }
    if (agentOptions != null && (agentOptions.contains("tee=") || agentOptions.contains("watch="))) {
      throw new ParameterException(spec.commandLine(), "AGENT_OPTIONS: '"
          + Terminal.sanitize(agentOptions, RedialCommand.MAX_ECHO) + "' sets tee or watch,"
          + " which redial attach sets itself; use --watch");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path jar = AgentJar.find(agentJar).orElseThrow(() -> new ParameterException(
        spec.commandLine(), "cannot find redial-agent.jar (looked at "
            + AgentJar.candidates(agentJar) + "); give it with --agent-jar FILE"));
    Path tee = Files.createTempFile("redial-attach-" + pid + "-", ".log");
    try {
      String options = "tee=file:" + tee + ",watch=" + watch.toMillis()
          + (agentOptions == null || agentOptions.isBlank() ? "" : "," + agentOptions);
      Attacher.Target target;
      try {
        target = Attacher.load(pid, jar, options);
      } catch (Attacher.AttachFailure e) {
        err.println("redial attach: " + e.getMessage());
        err.flush();
        return EXIT_NOT_ATTACHED;
      }
      out.println("[redial attach] agent loaded into " + pid + " (Java " + target.javaVersion()
          + ", " + target.vmName() + "); watching for " + format(watch));
      out.flush();
      TeeTail.End end = new TeeTail(tee, out).follow(pid, watch.plus(GRACE));
      out.println("[redial attach] " + switch (end) {
        case AGENT_DONE -> "watch over; the agent stays loaded but inert";
        case TARGET_EXITED -> "process " + pid + " exited";
        case TIME_UP -> "stopped waiting for the agent's summary";
      });
      out.flush();
      return 0;
    } finally {
      Files.deleteIfExists(tee);
    }
  }

  private static String format(Duration d) {
    long s = d.toSeconds();
    return s >= 60 && s % 60 == 0 ? s / 60 + " min" : d.toMillis() % 1000 == 0 ? s + " s"
        : d.toMillis() + " ms";
  }
}
