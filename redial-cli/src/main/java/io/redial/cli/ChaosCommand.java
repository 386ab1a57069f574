package io.redial.cli;

import io.redial.cli.soak.ChaosRun;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code redial chaos}: the long randomized soak with invariants; prints the seed. */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    versionProvider = RedialCommand.Version.class,
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
        "The same seed replays the same faults.",
        "",
        "Exit status: 0 every invariant held, 1 one did not, 2 bad usage.",
        "",
        "Examples:",
        "  redial chaos --connections 200 --duration 10m",
        "  redial chaos --duration 60s --seed 42"
    })
final class ChaosCommand implements Callable<Integer> {
  /** Exit status when an invariant did not hold. */
  static final int EXIT_FAILED = 1;

  @Spec CommandSpec spec;

  @Option(names = "--connections", paramLabel = "N", defaultValue = "200",
      description = "Managed connections (default: ${DEFAULT-VALUE}; 1 to "
          + ChaosRun.MAX_CONNECTIONS + ").")
  int connections;

  @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10m",
      converter = DurationConverter.class,
      description = "How long faults are played, e.g. 10s, 10m, 90 (seconds) (default: ${DEFAULT-VALUE}; 1s to "
          + "24h); a quiet drain and the checks follow.")
  Duration duration;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of the faults (default: random, printed).")
  Long seed;

  @Override
  public Integer call() throws Exception {
    long actualSeed = seed != null ? seed : new SplittableRandom().nextLong();
    ChaosRun.Options options;
    try {
      options = new ChaosRun.Options(connections, duration, actualSeed);
    } catch (IllegalArgumentException e) {
      String option = e.getMessage().startsWith("connections") ? "--connections" : "--duration";
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
    ChaosRun.disableNettyObjectPools(); // before Netty loads: see why there
    // Redial logs every reconnect at WARN: thousands here. Keep stderr for errors.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    }
    PrintWriter out = spec.commandLine().getOut();
    ChaosRun.Result verdict = new ChaosRun(options, out).run();
    for (String line : verdict.lines()) {
      out.println(line);
    }
    out.flush();
    return verdict.passed() ? 0 : EXIT_FAILED;
  }
}
