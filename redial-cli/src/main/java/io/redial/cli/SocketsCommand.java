package io.redial.cli;

import io.redial.cli.attach.AgentJar;
import io.redial.cli.attach.Attacher;
import io.redial.cli.sockets.AgentTable;
import io.redial.cli.sockets.ProcSockets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code redial sockets}: a process's live socket table, with the agent's stacks for a JVM. */
@Command(
    name = "sockets",
    mixinStandardHelpOptions = true,
    versionProvider = RedialCommand.Version.class,
    description = {
        "Lists the live sockets of a process: descriptor, kind, state, local and remote address",
        "(from the Linux kernel), and, when the Redial agent is active in that JVM (-javaagent or",
        "redial attach), each socket's Java type, age and the stack that opened it. A JVM whose",
        "agent is not active is only asked (the agent jar is loaded and answers), never watched."
    },
    footer = {
        "",
        "Exit status: 0 listed, 1 no such process (or not readable), 2 bad usage, 69 not Linux.",
        "",
        "Example:",
        "  redial sockets 4242"
    })
final class SocketsCommand implements Callable<Integer> {
  /** Frames shown under a socket: enough to reach the application's own code. */
  static final int FRAMES = 4;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PID", description = "The process id.")
  long pid;

  @Option(names = "--agent-jar", paramLabel = "FILE",
      description = "The agent jar used to ask the JVM (default: beside redial.jar).")
  Path agentJar;

  @Override
  public Integer call() throws IOException {
    if (pid <= 0) {
      throw new ParameterException(spec.commandLine(),
          "PID: '" + pid + "' is not a process id; allowed: a positive number");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc.resolve("self"))) {
      err.println("redial sockets: needs Linux's /proc; this is " + System.getProperty("os.name"));
      err.flush();
      return TraceCommand.EXIT_UNAVAILABLE;
    }
    List<ProcSockets.Row> rows;
    try {
      rows = ProcSockets.of(proc, pid);
    } catch (NoSuchFileException e) {
      err.println("redial sockets: no process " + pid);
      err.flush();
      return 1;
    } catch (IOException e) {
      err.println("redial sockets: cannot read /proc/" + pid + "/fd (" + e.getMessage()
          + "): run it as the process's user");
      err.flush();
      return 1;
    }
    String note;
    AgentTable.Table table = new AgentTable.Table(false, List.of());
    Optional<Path> jar = AgentJar.find(agentJar);
    if (!isJvm(pid)) {
      note = "not a JVM: the kernel's view only";
    } else if (jar.isEmpty()) {
      note = "redial-agent.jar not found (give --agent-jar): the kernel's view only";
    } else {
      Path answer = Files.createTempFile("redial-sockets-" + pid + "-", ".txt");
      try {
        Attacher.load(pid, jar.get(), "sockets=file:" + answer);
        table = AgentTable.parse(Files.readAllLines(answer, StandardCharsets.UTF_8));
        note = table.active() ? table.entries().size() + " known to the agent"
            : "the agent is not active in this JVM (start it with -javaagent or redial attach):"
                + " no Java types, ages or stacks";
      } catch (Attacher.AttachFailure e) {
        note = "could not ask the JVM: " + e.getMessage();
      } finally {
        Files.deleteIfExists(answer);
      }
    }
    print(out, rows, table, note);
    out.flush();
    return 0;
  }

  /** Whether the process runs a JVM: a cheap look at its command line's first word. */
  private static boolean isJvm(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().command())
        .map(c -> c.endsWith("/java") || c.endsWith("/java.exe") || c.equals("java"))
        .orElse(false);
  }

  private void print(PrintWriter out, List<ProcSockets.Row> rows, AgentTable.Table table,
      String note) {
    Map<String, AgentTable.Entry> byAddresses = new HashMap<>();
    for (AgentTable.Entry e : table.entries()) {
      if (!e.local().isEmpty()) {
        byAddresses.put(e.local() + "|" + e.remote(), e);
      }
    }
    out.println("[redial sockets] process " + pid + ": " + rows.size()
        + (rows.size() == 1 ? " socket" : " sockets") + "; " + note);
    String format = "%-4s %-5s %-12s %-22s %-22s %8s  %s";
    out.println(String.format(Locale.ROOT, format, "FD", "KIND", "STATE", "LOCAL", "REMOTE",
        "AGE", "JAVA").stripTrailing());
    List<AgentTable.Entry> matched = new ArrayList<>();
    for (ProcSockets.Row r : rows) {
      AgentTable.Entry e = byAddresses.get(r.local() + "|" + r.remote());
      if (e != null) {
        matched.add(e);
      }
      out.println(String.format(Locale.ROOT, format, r.fd(), r.kind(), r.state(), r.local(),
          r.remote(), e == null ? "" : age(e), e == null ? "" : e.label()).stripTrailing());
      if (e != null) {
        stack(out, e);
      }
    }
    for (AgentTable.Entry e : table.entries()) {
      if (!matched.contains(e)) {
        out.println(String.format(Locale.ROOT, format, "?", "java", e.state(), e.local(),
            e.remote(), age(e), e.label()).stripTrailing());
        stack(out, e);
      }
    }
  }

  private static void stack(PrintWriter out, AgentTable.Entry e) {
    if (e.beforeAttach()) {
      out.println("       (older than the agent: no stack)");
      return;
    }
    if (e.stack().isEmpty() && e.stackNote() != null) {
      out.println("       (stack " + e.stackNote() + ")");
      return;
    }
    // Skip the JDK's own frames (the channel's constructor, SocketChannel.open): from the
    // first frame of the application on.
    List<String> frames = e.stack();
    int from = 0;
    while (from < frames.size() - 1 && isJdk(frames.get(from))) {
      from++;
    }
    for (int i = from; i < frames.size() && i < from + FRAMES; i++) {
      out.println("       " + (i == from ? "opened at " : "          ") + frames.get(i));
    }
  }

  private static boolean isJdk(String frame) {
    return frame.startsWith("java.base/") || frame.startsWith("java.") || frame.startsWith("sun.")
        || frame.startsWith("jdk.");
  }

  private static String age(AgentTable.Entry e) {
    if (e.ageMillis() < 0) {
      return "?";
    }
    long ms = e.ageMillis();
    return ms < 10_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000.0)
        : ms < 3_600_000 ? ms / 60_000 + " min " + (ms / 1000) % 60 + " s"
        : ms / 3_600_000 + " h " + (ms / 60_000) % 60 + " min";
  }
}
