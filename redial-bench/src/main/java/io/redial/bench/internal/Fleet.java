package io.redial.bench.internal;

import io.redial.Backoff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** Figure 9: {@link FleetSimulation} for each policy of the storm, as figures and charts. */
public final class Fleet {
  static final long SEED = 20_260_101L;

  private Fleet() {}

  public static void run(Plan plan, Results results, LongSupplier nanos) {
    FleetSimulation sim = new FleetSimulation(plan.fleetClients(), plan.fleetAdmitPerSecond(),
        plan.fleetOutageSeconds() * 1000L, 10, plan.fleetLimitSeconds() * 1000L, SEED);
    List<Charts.Series> attempts = new ArrayList<>();
    List<Charts.Series> connected = new ArrayList<>();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("clients", sim.clients());
    details.put("admitPerSecond", sim.admitPerSecond());
    details.put("outageMillis", sim.outageMillis());
    details.put("stepMillis", sim.stepMillis());
    details.put("limitMillis", sim.limitMillis());
    details.put("seed", sim.seed());
    double floor = (double) sim.clients() / sim.admitPerSecond();
    for (Map.Entry<String, Backoff> p : Storm.policies().entrySet()) {
      long t0 = nanos.getAsLong();
      FleetSimulation.Result r = sim.run(p.getValue());
      double computeSeconds = (nanos.getAsLong() - t0) / 1e9;
      String back = r.allBack() ? String.format("%.1f s", r.recoveredMillis() / 1000.0)
          : String.format("not within %,d s (%,d of %,d back)", sim.limitMillis() / 1000,
              r.connectedAtLimit(), sim.clients());
      System.out.printf("  fleet %-32s peak %,d attempts/s, all back: %s (%.1f s to compute)%n",
          p.getKey(), r.peakAttemptsPerSecond(), back, computeSeconds);
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("policy", p.getValue().toString());
      d.put("peakAttemptsPerSecond", r.peakAttemptsPerSecond());
      d.put("meanAttemptsPerSecond", r.meanAttemptsPerSecond());
      d.put("totalAttempts", r.totalAttempts());
      d.put("recoveredMillisAfterServerBack", r.recoveredMillis());
      d.put("connectedAtEnd", r.connectedAtLimit());
      d.put("attemptsPerSecond", toDouble(r.attemptsPerSecond()));
      details.put(p.getKey(), d);
      results.add(new Figure("9.fleet." + Storm.key(p.getKey()),
          String.format("Fleet simulation, %,d clients, server admits %,d/s, %s", sim.clients(),
              sim.admitPerSecond(), p.getKey()) + ": time until all back after the server returned",
          "s", r.allBack() ? r.recoveredMillis() / 1000.0 : Double.NaN, Double.NaN, Double.NaN,
          Double.NaN, Double.NaN, String.format("(floor %,.0f s)", floor),
          Figure.Verdict.INFO,
          String.format("peak %,d attempts/s (%.1f× the server's capacity), %,d attempts; %s",
              r.peakAttemptsPerSecond(), (double) r.peakAttemptsPerSecond() / sim.admitPerSecond(),
              r.totalAttempts(), back)));
      double[] x = new double[r.attemptsPerSecond().length];
      double[] frac = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = i;
        frac[i] = 100.0 * r.connectedPerSecond()[i] / sim.clients();
      }
      attempts.add(new Charts.Series(p.getKey(), x, toDouble(r.attemptsPerSecond())));
      connected.add(new Charts.Series(p.getKey(), x, frac));
    }
    results.detail("fleet", details);
    String title = String.format("Fleet of %,d clients, server down %d s then admits %,d/s",
        sim.clients(), plan.fleetOutageSeconds(), sim.admitPerSecond());
    results.chart(new Charts.Xy("fleet-attempts.png", title, "seconds since the outage began",
        "connect attempts per second (log)", true, attempts));
    results.chart(new Charts.Xy("fleet-connected.png", title, "seconds since the outage began",
        "% of clients connected", false, connected));
  }

  static double[] toDouble(long[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }
}
