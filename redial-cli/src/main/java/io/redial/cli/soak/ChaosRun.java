package io.redial.cli.soak;

import io.redial.testkit.KernelFaults;
import io.redial.testkit.NetNamespace;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code redial chaos}: the soak with the {@link Schedule#random random} schedule (a fault every
 * 50 to 500 ms, overlapping), hundreds of connections, a quiet drain, and thread and heap
 * baselines besides the sockets, taken after a warm-up soak.
 */
public final class ChaosRun {
  /** The most connections. */
  public static final int MAX_CONNECTIONS = 2_000;
  /** Frames a connection may have without an echo; beyond it, it waits. */
  static final int WINDOW = 64;
  /** After the faults: up to this long for every frame to get its echo. */
  static final Duration DRAIN = Duration.ofSeconds(20);
  static final Soak.Preset PRESET = new Soak.Preset("chaos-%03d", Duration.ofMillis(20), WINDOW,
      Duration.ofMillis(20), Duration.ofMillis(10), false, DRAIN, Duration.ofSeconds(15),
      true, true, false, false, Duration.ZERO);

  /**
   * What to run.
   *
   * @param connections 1 to {@link #MAX_CONNECTIONS}
   * @param duration how long faults are played (1 s to 24 h)
   * @param seed decides the faults, the proxy's draws and the backoff jitter
   * @param requests the request mode ({@link RequestClient}): a HELLO handshake on every new
   *     channel and requests with replies, instead of numbered frames
   * @param kernel the kernel's faults too ({@link KernelFaults}): this process must run in a
   *     network namespace made for it ({@link NetNamespace#current()})
   */
  public record Options(int connections, Duration duration, long seed, boolean requests,
      boolean kernel) {
    /** Numbered frames. */
    public Options(int connections, Duration duration, long seed) {
      this(connections, duration, seed, false);
    }

    /** Without the kernel's faults. */
    public Options(int connections, Duration duration, long seed, boolean requests) {
      this(connections, duration, seed, requests, false);
    }

    public Options {
      if (connections < 1 || connections > MAX_CONNECTIONS) {
        throw new IllegalArgumentException("connections is " + connections + "; allowed: 1 to "
            + MAX_CONNECTIONS);
      }
      Schedule.random(seed, duration); // checks the duration, naming the allowed range
    }
  }

  /** The outcome: whether every invariant held, and the verdict's lines. */
  public record Result(boolean passed, List<String> lines) {}

  private final Options options;
  private final PrintWriter out;

  public ChaosRun(Options options, PrintWriter out) {
    this.options = options;
    this.out = out;
  }

  /** See {@link Soak#disableNettyObjectPools()}: call it before anything loads Netty. */
  public static void disableNettyObjectPools() {
    Soak.disableNettyObjectPools();
  }

  /** Runs the soak and judges it. Throws only when the soak's own machinery fails. */
  public Result run() throws InterruptedException {
    Verdict verdict = soak().verdict();
    return new Result(verdict.passed(), verdict.lines());
  }

  /** {@link #run()}, with the soak's whole outcome. */
  Soak.Outcome soak() throws InterruptedException {
    Schedule schedule = Schedule.random(options.seed(), options.duration(), options.kernel());
    KernelFaults kernel = options.kernel() ? KernelFaults.inside() : null;
    out.printf(Locale.ROOT, "redial chaos: %d connections, %s of faults (%d, one every %d-%d ms),"
        + " seed %d%n", options.connections(), options.duration(), schedule.steps().size(),
        Schedule.MIN_GAP.toMillis(), Schedule.MAX_GAP.toMillis(), options.seed());
    if (options.requests()) {
      out.printf(Locale.ROOT, "redial chaos: requests (deadline %d ms, queue timeout %d ms) with a"
          + " HELLO handshake on every new connection%n", RequestClient.REQUEST_TIMEOUT.toMillis(),
          RequestClient.QUEUE_TIMEOUT.toMillis());
    }
    if (kernel != null) {
      out.printf(Locale.ROOT, "redial chaos: kernel faults too (nftables on the proxy's port, in"
          + " network namespace %s): %d of the faults, blackhole, one-way drop, reset, loss%n",
          NetNamespace.current().orElse("?"), schedule.steps().stream().filter(Step::kernel).count());
    }
    if (!"0".equals(System.getProperty(Soak.NETTY_POOLS))) {
      out.println("redial chaos: Netty's object pools are on (" + Soak.NETTY_POOLS + "="
          + System.getProperty(Soak.NETTY_POOLS, "default") + "): they fill slowly and count as heap"
          + " growth");
    }
    out.flush();
    Traffic traffic = options.requests() ? Traffic.requests() : Traffic.numberedFrames();
    return new Soak(PRESET, traffic, out, null, kernel)
        .run(options.connections(), schedule, where -> { });
  }
}
