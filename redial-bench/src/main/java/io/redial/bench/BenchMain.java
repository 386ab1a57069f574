package io.redial.bench;

import io.redial.bench.internal.AgentOverhead;
import io.redial.bench.internal.Figure;
import io.redial.bench.internal.Fleet;
import io.redial.bench.internal.Footprint;
import io.redial.bench.internal.HalfOpen;
import io.redial.bench.internal.JmhSuite;
import io.redial.bench.internal.Plan;
import io.redial.bench.internal.Recovery;
import io.redial.bench.internal.Report;
import io.redial.bench.internal.Results;
import io.redial.bench.internal.Scale;
import io.redial.bench.internal.Storm;
import io.redial.bench.internal.WatchCost;
import io.redial.bench.internal.redis.RedisSuite;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The benchmark runner: {@code java -jar redial-bench.jar quick|full [outdir] [--agent=JAR]
 * [--only=jmh,footprint,scale,halfopen,storm,recovery,agent,fleet,redis,watch] [--peers=raw,...]}. Runs JMH (figures 1–3,
 * and 10 against the peers) and the plain scenarios (4–9, 11, 12), and writes {@code results.json},
 * {@code results.md} and PNG charts into the
 * output folder (default {@code bench-results/<timestamp>}). Use {@code redial-bench/run.sh}.
 */
public final class BenchMain {
  static final List<String> SECTIONS =
      List.of("jmh", "footprint", "scale", "halfopen", "storm", "recovery", "agent", "fleet",
          "redis", "watch");

  private BenchMain() {}

  /** A part of the run. */
  private interface Section {
    void run() throws Exception;
  }

  private static void runSection(String name, Section section, Results results, LongSupplier nanos) {
    long ts = nanos.getAsLong();
    System.out.println("== " + name);
    try {
      section.run();
    } catch (Exception | Error e) { // one broken part must not cost the others their figures
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      e.printStackTrace(System.out);
      results.add(new Figure(name, name + " failed", "", Double.NaN, Double.NaN,
          Double.NaN, Double.NaN, Double.NaN, "", Figure.Verdict.SKIPPED, e.toString()));
    }
    System.out.printf("   (%s: %.0f s)%n", name, (nanos.getAsLong() - ts) / 1e9);
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: redial-bench quick|full [outdir] [--agent=JAR] [--only="
          + String.join(",", SECTIONS) + "] [--peers=raw,reactor,vertx,handrolled]");
      System.exit(2);
    }
    Plan parsed = Plan.named(args[0]);
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
        .format(Instant.now());
    Path out = Path.of("bench-results", stamp);
    Path agent = Path.of("redial-agent", "target", "redial-agent.jar");
    Set<String> only = new LinkedHashSet<>(SECTIONS);
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--agent=")) {
        agent = Path.of(a.substring(8));
      } else if (a.startsWith("--only=")) {
        only = new LinkedHashSet<>(List.of(a.substring(7).split(",")));
        for (String s : only) {
          if (!SECTIONS.contains(s)) {
            throw new IllegalArgumentException(
                "--only: '" + s + "' is not a section; allowed: " + String.join(",", SECTIONS));
          }
        }
      } else if (a.startsWith("--peers=")) {
        parsed = parsed.withJmhPeers(List.of(a.substring(8).split(",")));
      } else if (a.startsWith("--")) {
        throw new IllegalArgumentException("unknown option '" + a + "'; allowed: --agent=JAR, "
            + "--only=" + String.join(",", SECTIONS) + ", --peers=" + String.join(",",
            io.redial.bench.internal.ClientKind.peers()));
      } else {
        out = Path.of(a);
      }
    }
    final Plan plan = parsed;
    LongSupplier nanos = System::nanoTime; // the runner's one clock, handed to every scenario
    Results results = new Results();
    Map<String, Object> meta = Report.meta(plan, Instant.now().toString());
    System.out.println("redial-bench " + plan.name() + " -> " + out.toAbsolutePath());
    long t0 = nanos.getAsLong();
    final Path outDir = out;
    final Path agentJar = agent;
    Map<String, Section> sections = new java.util.LinkedHashMap<>();
    sections.put("jmh", () -> JmhSuite.run(plan, results, outDir));
    sections.put("footprint", () -> Footprint.run(plan, results, nanos));
    sections.put("scale", () -> Scale.run(plan, results, nanos));
    sections.put("halfopen", () -> HalfOpen.run(plan, results, nanos));
    sections.put("storm", () -> Storm.run(plan, results, nanos));
    sections.put("recovery", () -> Recovery.run(plan, results, nanos));
    sections.put("agent", () -> AgentOverhead.run(plan, results, nanos, agentJar, outDir));
    sections.put("fleet", () -> Fleet.run(plan, results, nanos));
    sections.put("redis", () -> RedisSuite.run(plan, results, outDir));
    sections.put("watch", () -> WatchCost.run(plan, results, nanos));
    java.nio.file.Files.createDirectories(outDir);
    // The half-open test mostly waits (up to 60 s for the keepalive side): it runs in the
    // background, next to the storm, recovery, agent and fleet sections, none of which it can disturb much
    // (two connections, one timer each) and none of which measures heap.
    Thread background = null;
    for (Map.Entry<String, Section> s : sections.entrySet()) {
      if (!only.contains(s.getKey())) {
        continue;
      }
      if (s.getKey().equals("halfopen")) {
        background = new Thread(() -> runSection(s.getKey(), s.getValue(), results, nanos),
            "half-open");
        background.setDaemon(true);
        background.start();
        continue;
      }
      runSection(s.getKey(), s.getValue(), results, nanos);
      Report.write(outDir, meta, results); // a run cut short still leaves its figures
    }
    if (background != null) {
      background.join(TimeUnit.MINUTES.toMillis(10));
    }
    meta.put("seconds", (nanos.getAsLong() - t0) / 1e9);
    meta.put("loadAverageAtEnd", Report.loadAverage());
    for (Path p : Report.write(outDir, meta, results)) {
      System.out.println("wrote " + p);
    }
    System.out.print(java.nio.file.Files.readString(outDir.resolve("results.md")));
    System.exit(0); // Redial's shared event loop threads are daemons, but be explicit
  }
}
