package io.redial.bench.internal;

import io.netty.channel.EventLoopGroup;
import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import io.redial.testkit.KernelFaults;
import io.redial.testkit.NetNamespace;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Figure 7k: figure 7's trials ({@link HalfOpen#trial}) under a blackhole the kernel makes — an
 * nftables rule dropping every packet to and from the echo server's port, in a private network
 * namespace — instead of the proxy's. No proxy's kernel answers for the server here: the client's
 * kernel retransmits into silence, as with an unplugged server. A JVM cannot move its sockets into
 * a namespace, so the trials run in a child JVM there ({@link #main}); this process reads its
 * lines and reports the figure.
 */
public final class HalfOpenKernel {
  private static final String LINE = "kernel-trial ";

  private HalfOpenKernel() {}

  /** The child, started; or why it could not be. */
  record Pending(NetNamespace namespace, Process process, Path output, String whyNot) {}

  /** Starts the trials in a fresh namespace; never throws: a failure is reported by {@link #finish}. */
  static Pending start(Plan plan) {
    List<String> missing = NetNamespace.missingPrerequisites();
    if (!missing.isEmpty()) {
      return new Pending(null, null, null, "needs " + String.join(", ", missing));
    }
    NetNamespace ns = null;
    try {
      ns = NetNamespace.create();
      Path out = Files.createTempFile("redial-halfopen-kernel", ".txt");
      Process p = ns.java(List.of("-Xmx256m"), HalfOpenKernel.class.getName(),
              List.of(Integer.toString(plan.halfOpenTrials()),
                  Integer.toString(plan.halfOpenLimitSeconds())))
          .redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      return new Pending(ns, p, out, null);
    } catch (IOException | RuntimeException e) {
      if (ns != null) {
        ns.close();
      }
      return new Pending(null, null, null, "could not start: " + e);
    }
  }

  /** Waits for the child (bounded), deletes the namespace and adds figure 7k. */
  static void finish(Pending pending, Plan plan, Results results) throws Exception {
    String id = "7k.halfopen-kernel";
    String title = "Half-open detection (kernel blackhole, nftables in a network namespace): "
        + "heartbeat 1 s / 1 s vs TCP keepalive only";
    if (pending.whyNot() != null) {
      System.out.println("  half-open (kernel): not measured, " + pending.whyNot());
      results.add(new Figure(id, title, "s", Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN, "", Figure.Verdict.SKIPPED, "not measured: " + pending.whyNot()));
      return;
    }
    List<String> lines;
    try (NetNamespace ns = pending.namespace()) {
      long bound = (plan.halfOpenLimitSeconds() + 30L) * plan.halfOpenTrials() + 60;
      if (!pending.process().waitFor(bound, TimeUnit.SECONDS)) {
        pending.process().destroyForcibly();
      }
      lines = Files.readAllLines(pending.output(), StandardCharsets.UTF_8);
      Files.deleteIfExists(pending.output());
    }
    long limitMillis = plan.halfOpenLimitSeconds() * 1000L;
    List<double[]> trials = new ArrayList<>();
    Map<String, String> kernel = new LinkedHashMap<>();
    for (String line : lines) {
      if (line.startsWith(LINE)) {
        String[] f = line.substring(LINE.length()).split(" ");
        double[] t = {Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        trials.add(t);
        System.out.printf("  half-open (kernel) trial %s: Redial heartbeat %s, raw Netty "
            + "keepalive %s%n", f[0], HalfOpen.show(t[0], limitMillis),
            HalfOpen.show(t[1], limitMillis));
      } else if (line.startsWith("kernel-sysctl ")) {
        String[] f = line.split(" ");
        kernel.put(f[1], f[2]);
      }
    }
    if (trials.size() != plan.halfOpenTrials()) {
      throw new IllegalStateException("the kernel half-open child reported " + trials.size()
          + " of " + plan.halfOpenTrials() + " trials; it printed:\n" + String.join("\n", lines));
    }
    double[] redial = trials.stream().mapToDouble(t -> t[0]).toArray();
    double[] raw = trials.stream().mapToDouble(t -> t[1]).toArray();
    double limit = limitMillis / 1000.0;
    Stats b = Stats.of(raw);
    boolean censored = b.median() >= limit;
    results.add(Figure.ratio(id, title, "s", Stats.of(redial), b, Stats.ratios(redial, raw), "",
        Figure.Verdict.INFO,
        (censored ? "raw Netty: no sign within " + (long) limit + " s (reported as > "
            + (long) limit + " s, so the ratio is an upper bound); " : "")
            + "the client's kernel retransmits into silence (tcp_retries2 = "
            + kernel.getOrDefault("tcp_retries2", "?") + ", about 15 minutes) and keepalive waits "
            + kernel.getOrDefault("tcp_keepalive_time", "?") + " s before its first probe"));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("limitSeconds", limit);
    d.put("redialSeconds", redial);
    d.put("rawNettySeconds", raw);
    d.put("rawNettyCensored", censored);
    d.put("namespaceSysctls", kernel);
    results.detail("halfOpenKernel", d);
  }

  /**
   * The child, inside the namespace: {@code trials limitSeconds}. Prints one
   * {@code kernel-trial N redialSeconds rawSeconds} line per trial.
   */
  public static void main(String[] args) throws Exception {
    int trials = Integer.parseInt(args[0]);
    long limitMillis = Long.parseLong(args[1]) * 1000L;
    KernelFaults faults = KernelFaults.inside();
    for (String sysctl : List.of("tcp_retries2", "tcp_keepalive_time")) {
      System.out.println("kernel-sysctl " + sysctl + " " + Files.readAllLines(
          Path.of("/proc/sys/net/ipv4", sysctl)).get(0).strip());
    }
    EventLoopGroup group = Net.newGroup(1, "raw-netty");
    try (EchoServer echo = EchoServer.start(EchoMode.LENGTH_PREFIXED)) {
      for (int t = 0; t < trials; t++) {
        AtomicReference<KernelFaults.Rule> rule = new AtomicReference<>();
        try {
          double[] r = HalfOpen.trial(group, echo.address(),
              () -> rule.set(faults.blackhole(echo.address().getPort())), limitMillis,
              System::nanoTime);
          System.out.printf(Locale.ROOT, "%s%d %.3f %.3f%n", LINE, t + 1, r[0], r[1]);
          System.out.flush();
        } finally {
          if (rule.get() != null) {
            rule.get().close();
          }
        }
      }
    } finally {
      Net.shutdown(group);
    }
    System.exit(0);
  }
}
