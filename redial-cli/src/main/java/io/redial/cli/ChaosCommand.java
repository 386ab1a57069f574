package io.redial.cli;

import io.redial.cli.soak.ChaosRun;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
        "  thread delta     threads alive after close minus before",
        "and the heap after GC within 5 %% of the start.",
        "With --requests (a HELLO handshake on every new connection, then requests whose echo is",
        "the reply; a request that failed with CONNECTION_LOST is made again as a new one), also:",
        "  replies to the wrong request   a reply whose content is not its request's",
        "  requests hung                  request futures not done after close",
        "  lost, no clear error           failures other than CONNECTION_LOST, REQUEST_TIMEOUT,",
        "                                 QUEUE_FULL, QUEUE_TIMEOUT, CONNECTION_CLOSED at shutdown",
        "  generations not handshaken     server sockets with a request before the HELLO,",
        "                                 and connects before the HELLO's reply",
        "The same seed replays the same faults. After --duration, a quiet drain and the checks.",
        "Ranges: --connections 1 to " + ChaosRun.MAX_CONNECTIONS + ", --duration 1s to 24h.",
        "",
        "Exit status: 0 every invariant held, 1 one did not, 2 bad usage.",
        "",
        "Examples:",
        "  redial chaos --connections 200 --duration 10m",
        "  redial chaos --duration 60s --seed 42",
        "  redial chaos --requests --connections 20 --duration 60s"
    })
final class ChaosCommand extends SoakCommand<ChaosRun.Options> {
  @Option(names = "--requests",
      description = "Request mode: a handshake on every connection, requests and replies.")
  boolean requests;

  ChaosCommand() {
    super(200, "10m");
  }

  @Override
  ChaosRun.Options options(long seed) {
    return new ChaosRun.Options(connections, duration, seed, requests);
  }

  @Override
  void prepare(ChaosRun.Options options) {
    ChaosRun.disableNettyObjectPools(); // before Netty loads: see why there
  }

  @Override
  boolean run(ChaosRun.Options options, PrintWriter out) throws InterruptedException {
    ChaosRun.Result verdict = new ChaosRun(options, out).run();
    for (String line : verdict.lines()) {
      out.println(line);
    }
    return verdict.passed();
  }
}
