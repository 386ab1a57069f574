package io.redial.cli;

import io.redial.cli.soak.ChaosRun;
import io.redial.testkit.NetNamespace;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code redial chaos}: the long randomized soak with invariants; prints the seed. */
@Command(
    name = "chaos",
    description = {
        "Managed connections send numbered frames to an in-process echo server through a fault",
        "proxy that, every 50-500 ms, resets connections, blackholes them, refuses connects, adds",
        "latency, slices data or restarts the server. Then the faults stop, every frame must get its",
        "echo, everything is closed, and the invariants are checked."
    },
    footer = {
        "",
        "Checks (each must be 0):",
        "  lost             frames never echoed, after a quiet drain with the faults off",
        "  duplicated       the same (sequence, attempt) echoed twice",
        "  out of order     first sends echoed backwards within one channel generation",
        "  corrupt          frames neither side could read",
        "  hung futures     send, connect or close futures not done after close",
        "  double connects  two server sockets of one connection open for over 2 s",
        "  stale generation listener events older than one already seen",
        "  fd delta         network sockets open after close minus before (Linux)",
        "  thread delta     threads alive after close minus before (not the JDK's process",
        "                   reaper, whose idle threads outlive --kernel's ip and nft by a minute)",
        "and the heap after GC within 5 %% of the start.",
        "With --requests (a HELLO handshake on every new connection, then requests whose echo is",
        "the reply; a request that failed with CONNECTION_LOST is made again as a new one), also:",
        "  replies to the wrong request   a reply whose content is not its request's",
        "  requests hung                  request futures not done after close",
        "  lost, no clear error           failures other than CONNECTION_LOST, REQUEST_TIMEOUT,",
        "                                 QUEUE_FULL, QUEUE_TIMEOUT, CONNECTION_CLOSED at shutdown",
        "  generations not handshaken     server sockets with a request before the HELLO,",
        "                                 and connects before the HELLO's reply",
        "With --kernel (root, with ip and nft installed), the soak runs in a private network",
        "namespace, and the schedule adds the kernel's faults, as nftables rules on the proxy's port:",
        "a blackhole (the client's kernel retransmits into silence), a one-way drop, TCP resets,",
        "and 5-30 %% random loss. The namespace is deleted at the end.",
        "The same seed replays the same faults. After --duration, a quiet drain and the checks.",
        "Ranges: --connections 1 to " + ChaosRun.MAX_CONNECTIONS + ", --duration 1s to 24h.",
        "",
        "Exit status: 0 every invariant held, 1 one did not, 2 bad usage.",
        "",
        "Examples:",
        "  redial chaos --connections 200 --duration 10m",
        "  redial chaos --duration 60s --seed 42",
        "  redial chaos --requests --connections 20 --duration 60s",
        "  redial chaos --kernel --connections 200 --duration 10m"
    })
final class ChaosCommand extends SoakCommand<ChaosRun.Options> {
  @Option(names = "--requests",
      description = "Request mode: a handshake on every connection, requests and replies.")
  boolean requests;

  @Option(names = "--kernel",
      description = "Kernel faults too (nftables in a network namespace; needs root, ip, nft).")
  boolean kernel;

  ChaosCommand() {
    super(200, "10m");
  }

  @Override
  ChaosRun.Options options(long seed) {
    return new ChaosRun.Options(connections, duration, seed, requests, kernel);
  }

  @Override
  void prepare(ChaosRun.Options options) {
    ChaosRun.disableNettyObjectPools(); // before Netty loads: see why there
    if (options.kernel() && NetNamespace.current().isEmpty()) {
      List<String> missing = NetNamespace.missingPrerequisites();
      if (!missing.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--kernel: kernel faults need "
            + String.join(", ", missing) + "; run as root with them, or leave out --kernel");
      }
    }
  }

  @Override
  boolean run(ChaosRun.Options options, PrintWriter out) throws Exception {
    if (options.kernel() && NetNamespace.current().isEmpty()) {
      return inNamespace(options, out);
    }
    ChaosRun.Result verdict = new ChaosRun(options, out).run();
    for (String line : verdict.lines()) {
      out.println(line);
    }
    return verdict.passed();
  }

  /**
   * A JVM cannot move its sockets into a network namespace: the whole soak runs again in a child
   * JVM inside a fresh one (same JVM options, class path and seed), its output passed through;
   * the namespace is deleted afterwards, also when this process is stopped (a shutdown hook).
   */
  private static boolean inNamespace(ChaosRun.Options options, PrintWriter out) throws Exception {
    List<String> args = new ArrayList<>(List.of("chaos",
        "--connections", Integer.toString(options.connections()),
        "--duration", options.duration().toMillis() + "ms",
        "--seed", Long.toString(options.seed()), "--kernel"));
    if (options.requests()) {
      args.add("--requests");
    }
    try (NetNamespace ns = NetNamespace.create()) {
      out.println("redial chaos: running in network namespace " + ns.name());
      out.flush();
      Process child = ns.java(ManagementFactory.getRuntimeMXBean().getInputArguments(),
          RedialCommand.class.getName(), args).inheritIO().start();
      try {
        // the child ends itself after the duration, a drain and the checks; this bounds the wait
        long limit = options.duration().toMinutes() + 15;
        return child.waitFor(limit, TimeUnit.MINUTES) && child.exitValue() == 0;
      } finally {
        child.destroyForcibly();
      }
    }
  }
}
