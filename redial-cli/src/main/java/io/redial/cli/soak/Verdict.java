package io.redial.cli.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A soak's closing verdict, the same checks for every preset: what was sent and echoed, and the
 * invariants, each a count that must be zero (or, for the heap, a bound).
 *
 * <p>Definitions (also in {@code redial demo --help} and {@code redial chaos --help}):
 * <ul>
 *   <li><b>lost</b>: frames never echoed by the end, although the client re-sends every frame
 *       that may have been lost (see {@link SoakClient}).
 *   <li><b>duplicated</b>: the server received the same (connection, sequence, attempt) twice, or
 *       a client got the same echo twice. Re-sends carry a new attempt number, so neither happens
 *       unless something below the application delivered twice.
 *   <li><b>out of order</b>: on one server socket, or in the echoes one client received, a
 *       first-attempt frame whose number is not above the previous one's.
 *   <li><b>double connects</b>: two server-side sockets of one managed connection open at once,
 *       for longer than the grace period (see {@link ServerLedger}).
 *   <li><b>corrupt</b>: frames that were not soak frames, or reached the wrong connection.
 *   <li><b>hung futures</b>: connect, send or close futures not done after everything closed.
 *   <li><b>stale generation</b>: listener events of a generation older than one already seen.
 *   <li><b>leaked sockets</b>: network sockets open after everything was closed, minus those open
 *       before (Linux {@code /proc/self/fd}).
 *   <li><b>threads</b> and <b>heap</b> (when measured): live threads after minus before, and the
 *       heap after GC within {@link #HEAP_TOLERANCE} of before.
 * </ul>
 *
 * @param sockets open network sockets before and after; empty where they cannot be counted
 * @param baselines threads and heap before and after; empty when not measured
 * @param detection the longest time from the blackhole's start to a connection's heartbeat
 *     miss; empty when none noticed (or not measured)
 * <p>In the request mode ({@link RequestClient}) also, each a count that must be zero: <b>wrong
 * replies</b> (a reply whose content is not its request's), <b>hung requests</b> (futures not
 * done after everything closed), <b>requests lost without a clear error</b> (failures other than
 * CONNECTION_LOST, REQUEST_TIMEOUT, QUEUE_FULL, QUEUE_TIMEOUT, or CONNECTION_CLOSED at shutdown)
 * and <b>generations not handshaken before their first message</b> (server-side sockets with a
 * request before their HELLO, plus CONNECTED generations whose HELLO had not been answered).
 *
 * @param detected how many connections noticed the blackhole
 * @param requests the request mode's counts; empty in the numbered-frames mode
 */
record Verdict(long seed, int connections, Tally clients, ServerLedger.Counts server,
    long hungFutures, Optional<SocketCount> sockets, Optional<Baselines> baselines,
    Optional<Duration> detection, int detected, Optional<RequestTally> requests) {
  /** How much the heap may grow from start to end. */
  static final double HEAP_TOLERANCE = 0.05;

  /** The verdict of a numbered-frames soak. */
  Verdict(long seed, int connections, Tally clients, ServerLedger.Counts server,
      long hungFutures, Optional<SocketCount> sockets, Optional<Baselines> baselines,
      Optional<Duration> detection, int detected) {
    this(seed, connections, clients, server, hungFutures, sockets, baselines, detection, detected,
        Optional.empty());
  }

  /** Sockets open before the soak and after it. */
  record SocketCount(int before, int after) {
    int leaked() {
      return Math.max(0, after - before);
    }
  }

  /** Live threads and used heap after GC (bytes), before and after. */
  record Baselines(int threadsBefore, int threadsAfter, long heapBefore, long heapAfter) {
    int newThreads() {
      return Math.max(0, threadsAfter - threadsBefore);
    }

    boolean heapHeld() {
      return heapAfter <= heapBefore * (1 + HEAP_TOLERANCE);
    }
  }

  long lost() {
    return clients.unechoed();
  }

  long duplicated() {
    return server.duplicates() + clients.duplicated();
  }

  long outOfOrder() {
    return server.outOfOrder() + clients.outOfOrder();
  }

  long corrupt() {
    return server.corrupt() + clients.corrupt();
  }

  long leaked() {
    return sockets.map(SocketCount::leaked).orElse(0);
  }

  /** Whether every invariant held, and the run did send and echo frames at all. */
  boolean passed() {
    return clients.sent() > 0 && clients.echoed() > 0 && lost() == 0 && duplicated() == 0
        && outOfOrder() == 0 && server.doubleConnects() == 0 && corrupt() == 0
        && hungFutures == 0 && clients.staleEvents() == 0 && leaked() == 0
        && baselines.map(b -> b.newThreads() == 0 && b.heapHeld()).orElse(true)
        && requests.map(r -> r.wrongReplies() == 0 && r.hung() == 0 && r.unexplained() == 0
            && notHandshaken() == 0 && r.handshakes() > 0).orElse(true);
  }

  /** Generations whose first message came before their handshake: server and client side. */
  long notHandshaken() {
    return server.requestsBeforeHello() + requests.map(RequestTally::notHandshaken).orElse(0L);
  }

  /** The demo's table, one row per line, without colour: {@code name  value  ok|FAIL  note}. */
  List<String> table() {
    List<String> out = new ArrayList<>();
    out.add(row("frames sent", clients.sent(), null, ""));
    out.add(row("frames echoed", clients.echoed(), null, clients.resent() > 0
        ? clients.resent() + " re-sends (written to a socket that died, or dropped)" : ""));
    out.add(row("lost", lost(), lost() == 0, clients.sendFailures() > 0
        ? clients.sendFailures() + " sends refused by Redial and re-sent" : ""));
    out.add(row("duplicated", duplicated(), duplicated() == 0,
        where(duplicated(), clients.duplicated())));
    out.add(row("out of order", outOfOrder(), outOfOrder() == 0,
        where(outOfOrder(), clients.outOfOrder())));
    out.add(row("double connects", server.doubleConnects(), server.doubleConnects() == 0, ""));
    if (sockets.isPresent()) {
      SocketCount s = sockets.get();
      out.add(row("leaked sockets", s.leaked(), s.leaked() == 0,
          "open sockets: " + s.before() + " before, " + s.after() + " after"));
    } else {
      out.add(String.format(Locale.ROOT, "  %-22s %10s  %-4s  %s", "leaked sockets", "n/a", "",
          "cannot count sockets here (no /proc/self/fd)"));
    }
    if (corrupt() > 0) {
      out.add(row("corrupt frames", corrupt(), false, ""));
    }
    if (hungFutures > 0) {
      out.add(row("hung futures", hungFutures, false, "connect, send or close never completed"));
    }
    if (clients.staleEvents() > 0) {
      out.add(row("stale generation", clients.staleEvents(), false, "listener events older than one seen"));
    }
    out.add(String.format(Locale.ROOT, "  %-22s %10s  %-4s  %s", "blackhole detected in",
        detection.map(d -> String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0)).orElse("never"),
        "", "longest of " + detected + "/" + connections + " connections (heartbeat miss)"));
    out.add(row("reconnects", clients.reconnects(), null, ""));
    return out;
  }

  /** The chaos soak's list: one check per line, then the seed. */
  List<String> lines() {
    List<String> l = new ArrayList<>();
    if (requests.isPresent()) {
      requestLines(requests.get(), l);
    } else {
      l.add(String.format(Locale.ROOT, "  frames sent %d, echoed %d, re-sent %d, reconnects %d",
          clients.sent(), clients.echoed(), clients.resent(), clients.reconnects()));
      l.add(check("lost", lost()));
    }
    l.add(check("duplicated", duplicated()));
    l.add(check("out of order", outOfOrder()));
    l.add(check("corrupt", corrupt()));
    l.add(check("hung futures", hungFutures));
    l.add(check("double connects", server.doubleConnects()));
    l.add(check("actions on a stale generation", clients.staleEvents()));
    l.add(sockets.isPresent() ? check("file-descriptor delta", leaked())
        : "  file-descriptor delta: not measured (no /proc/self/fd)");
    baselines.ifPresent(b -> {
      l.add(check("thread delta", b.newThreads()));
      l.add(String.format(Locale.ROOT, "  %-30s %.1f MiB -> %.1f MiB (%+.1f %%, allowed +%.0f %%)  %s",
          "heap after GC", b.heapBefore() / 1048576.0, b.heapAfter() / 1048576.0,
          b.heapBefore() == 0 ? 0.0 : 100.0 * (b.heapAfter() - b.heapBefore()) / b.heapBefore(),
          HEAP_TOLERANCE * 100, b.heapHeld() ? "ok" : "FAIL"));
    });
    if (clients.sent() == 0 || clients.echoed() == 0) {
      l.add("  no frame was sent and echoed: nothing was tested  FAIL");
    }
    if (requests.isPresent() && requests.get().handshakes() == 0) {
      l.add("  no handshake was answered: nothing was tested  FAIL");
    }
    l.add((passed() ? "PASS" : "FAIL") + " (seed " + seed + "; the same seed replays the same faults)");
    return l;
  }

  /** The request mode's counts and checks, instead of the frames' first two lines. */
  private void requestLines(RequestTally r, List<String> l) {
    l.add(String.format(Locale.ROOT, "  requests sent %d, replies %d, re-sent %d, handshakes %d,"
        + " reconnects %d", r.sent(), r.replies(), r.resent(), r.handshakes(),
        clients.reconnects()));
    l.add(String.format(Locale.ROOT, "  failed with a clear error %d: CONNECTION_LOST %d,"
        + " REQUEST_TIMEOUT %d, QUEUE_FULL %d, QUEUE_TIMEOUT %d, CONNECTION_CLOSED at shutdown %d",
        r.failed(), r.connectionLost(), r.requestTimeout(), r.queueFull(), r.queueTimeout(),
        r.connectionClosed()));
    l.add(String.format(Locale.ROOT, "  (re-sent: made again by the client as new requests after"
        + " CONNECTION_LOST; late replies, handed to no request: %d; HELLOs seen by the server: %d, sockets with a"
        + " heartbeat ping before their HELLO: %d)", r.lateReplies(), server.hellos(),
        server.pingsBeforeHello()));
    l.add(check("replies to the wrong request", r.wrongReplies()));
    l.add(check("requests hung", r.hung()));
    l.add(check("requests lost, no clear error", r.unexplained())
        + (r.example() == null ? "" : " (first: " + r.example() + ")"));
    l.add(check("generations not handshaken", notHandshaken()) + (notHandshaken() == 0 ? ""
        : " (" + server.requestsBeforeHello() + " server sockets with a request before the HELLO, "
            + r.notHandshaken() + " connects before its reply)"));
  }

  /** Where a failure was seen, to tell a sending bug from a receiving one. */
  private static String where(long total, long atClients) {
    return total == 0 ? "" : (total - atClients) + " seen by the server, " + atClients
        + " by the clients";
  }

  private static String row(String name, long value, Boolean ok, String note) {
    return String.format(Locale.ROOT, "  %-22s %10d  %-4s  %s", name, value,
        ok == null ? "" : ok ? "ok" : "FAIL", note).stripTrailing();
  }

  private static String check(String name, long n) {
    return String.format(Locale.ROOT, "  %-30s %d  %s", name, n, n == 0 ? "ok" : "FAIL");
  }
}
