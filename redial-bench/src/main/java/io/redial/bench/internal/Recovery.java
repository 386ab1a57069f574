package io.redial.bench.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Figure 11: N connections of each reconnecting client (Redial and the peers, one kind after the
 * other, on event loops of the same size) lose their server (a child process, stopped as in a
 * crash) for a few seconds. Halfway through the outage every connection sends one 64 B frame.
 * Reported per kind: the time from the restart until all N are connected again (from the clients'
 * own connect events), the connect attempts made from the loss until then, and how many of the N
 * frames sent while down never came back from the echo server (each client's own offline
 * behaviour: Redial queues, the peers drop).
 */
public final class Recovery {
  /** How long to wait for the echoes of the frames sent while down, once all are back. */
  static final long ECHO_WAIT_MILLIS = 3_000;
  /** Connected this long before the outage: past Redial's default stableAfter (5 s). */
  static final long SETTLE_MILLIS = 6_000;

  private Recovery() {}

  /** What one kind did. */
  record Outcome(String kind, int connections, boolean allNoticed, double secondsUntilAllBack,
      int backAtEnd, int attempts, int sentWhileDown, long echoed) {
    long lost() {
      return sentWhileDown - Math.min(echoed, sentWhileDown);
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("client", kind);
      m.put("connections", connections);
      m.put("allNoticedTheLoss", allNoticed);
      m.put("secondsFromRestartUntilAllBack", secondsUntilAllBack);
      m.put("backAtEnd", backAtEnd);
      m.put("attemptsFromLossUntilAllBack", attempts);
      m.put("sentWhileDown", sentWhileDown);
      m.put("echoedAfterRecovery", echoed);
      m.put("lost", lost());
      return m;
    }
  }

  public static void run(Plan plan, Results results, LongSupplier nanos) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    List<Outcome> outcomes = new ArrayList<>();
    try (ServerProcess server = ServerProcess.start(List.of("127.0.0.6", "127.0.0.7"), "1g");
        Loops loops = new Loops(cores, "recovery")) {
      for (ClientKind kind : ClientKind.reconnecting()) {
        Outcome o = measure(kind, plan, server, loops, nanos);
        outcomes.add(o);
        System.out.printf("  recovery %-28s all back %s after restart; %,d attempts; %,d of %,d"
                + " sent while down lost%n", kind.label(),
            Double.isNaN(o.secondsUntilAllBack()) ? "NOT within " + plan.recoveryLimitSeconds()
                + " s (" + o.backAtEnd() + " of " + o.connections() + ")"
                : String.format("%.2f s", o.secondsUntilAllBack()),
            o.attempts(), o.lost(), o.sentWhileDown());
      }
    }
    report(plan, results, outcomes);
  }

  /** Figures, details and the chart from the outcomes (Redial's first). */
  static void report(Plan plan, Results results, List<Outcome> outcomes) {
    Outcome redial = outcomes.stream().filter(o -> o.kind().equals(ClientKind.REDIAL))
        .findFirst().orElse(null);
    String what = String.format("Recovery, %,d connections, server down %d s: time until all back"
        + " after the restart", plan.recoveryConnections(), plan.recoveryOutageSeconds());
    List<String> names = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    double[] seconds = new double[outcomes.size()];
    Map<String, Object> details = new LinkedHashMap<>();
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome o = outcomes.get(i);
      ClientKind kind = ClientKind.named(o.kind());
      details.put(o.kind(), o.toMap());
      names.add(kind.label());
      seconds[i] = o.secondsUntilAllBack();
      labels.add(summary(o));
      if (redial == null || o == redial) {
        continue;
      }
      double ratio = redial.secondsUntilAllBack() / o.secondsUntilAllBack();
      results.add(new Figure("11.recovery." + o.kind(), what + ": Redial vs " + kind.label(), "s",
          redial.secondsUntilAllBack(), o.secondsUntilAllBack(), ratio, ratio, ratio, "",
          Figure.Verdict.INFO, "Redial: " + summary(redial) + "; " + kind.label() + ": "
              + summary(o) + ". Offline: Redial " + RedialKind.KIND.offline() + "; "
              + kind.label() + " " + kind.offline(), o.kind()));
    }
    details.put("outageSeconds", plan.recoveryOutageSeconds());
    details.put("limitSeconds", plan.recoveryLimitSeconds());
    results.detail("recovery", details);
    results.chart(new Charts.Bars("recovery.png", what + " (also: attempts, frames sent while"
            + " down that were lost)", "seconds after the restart", names, List.of("seconds"),
        new double[][] {seconds}, Double.NaN, List.of(), labels));
  }

  /** {@code "2.31 s, 3 012 attempts, 0 of 1 000 lost"}. */
  static String summary(Outcome o) {
    String time = Double.isNaN(o.secondsUntilAllBack())
        ? String.format("not all back (%,d of %,d)", o.backAtEnd(), o.connections())
        : String.format("%.2f s", o.secondsUntilAllBack());
    return String.format("%s, %,d attempts, %,d of %,d lost", time, o.attempts(), o.lost(),
        o.sentWhileDown());
  }

  static Outcome measure(ClientKind kind, Plan plan, ServerProcess server, Loops loops,
      LongSupplier nanos) throws Exception {
    int n = plan.recoveryConnections();
    Tally tally = new Tally(nanos);
    ClientKind.Opener opener = kind.opener(loops, tally::frame, tally);
    List<InetSocketAddress> targets = server.addresses();
    List<BenchClient> clients = Footprint.openPeer(opener, targets, n);
    try {
      Waits.pause(SETTLE_MILLIS);
      int attempts0 = tally.attempts();
      long stopAt = nanos.getAsLong();
      server.stop();
      boolean allNoticed = Waits.until(nanos, 20_000, () -> tally.up() == 0);
      long outageMillis = plan.recoveryOutageSeconds() * 1000L;
      pauseUntil(nanos, stopAt, outageMillis / 2);
      long echoed0 = tally.frames();
      byte[] frame = new byte[64];
      for (BenchClient c : clients) {
        c.send(frame);
        c.flush();
      }
      pauseUntil(nanos, stopAt, outageMillis);
      tally.awaitAll(n);
      long restartAt = nanos.getAsLong();
      server.restart();
      boolean allBack = Waits.until(nanos, plan.recoveryLimitSeconds() * 1000L,
          () -> tally.allUpAt() >= 0);
      double seconds = allBack ? (tally.allUpAt() - restartAt) / 1e9 : Double.NaN;
      int attempts = tally.attempts() - attempts0;
      int backAtEnd = tally.up();
      Waits.until(nanos, ECHO_WAIT_MILLIS, () -> tally.frames() - echoed0 >= n);
      return new Outcome(kind.name(), n, allNoticed, seconds, backAtEnd, attempts, n,
          tally.frames() - echoed0);
    } finally {
      BenchClient.closeAll(clients);
    }
  }

  private static void pauseUntil(LongSupplier nanos, long from, long millis) {
    long left = millis - (nanos.getAsLong() - from) / 1_000_000;
    if (left > 0) {
      Waits.pause(left);
    }
  }
}
