package io.redial.cli.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The demo's closing verdict: what was sent and echoed, and the invariants, each of which must be
 * zero for the demo to pass.
 *
 * <p>Definitions (also in {@code redial demo --help}):
 * <ul>
 *   <li><b>lost</b>: frames never echoed by the end, although the demo re-sends every frame that
 *       was handed to a socket that then died (TCP cannot say whether those bytes arrived), or
 *       that a later echo shows was dropped inside a live connection (see {@link DemoClient}). A
 *       frame Redial itself refused (its send future failed) is re-sent too, and counted apart.
 *   <li><b>duplicated</b>: the server received the same (connection, sequence, attempt) twice, or
 *       the client got a second echo of one sequence number. Re-sends carry a new attempt
 *       number, so neither happens unless something below the application delivered twice.
 *   <li><b>out of order</b>: on one server socket, or in the echoes one client received, a
 *       first-attempt frame whose number is not above the previous one's.
 *   <li><b>double connects</b>: two server-side sockets of one managed connection open at once,
 *       for longer than the grace period (see {@link Ledger}).
 *   <li><b>leaked sockets</b>: network sockets open in this process after everything was
 *       closed, minus those open before the demo started (Linux {@code /proc/self/fd}).
 *   <li><b>corrupt</b>: frames that were not demo frames, or reached the wrong connection.
 * </ul>
 *
 * @param sockets open network sockets before and after; empty where they cannot be counted
 * @param detection the longest time from the blackhole's start to a connection's heartbeat miss;
 *     empty when none noticed
 */
record Verdict(long sent, long echoed, long lost, long duplicated, long duplicatedAtClients,
    long outOfOrder, long outOfOrderAtClients, long doubleConnects, long corrupt, Optional<SocketCount> sockets, long reconnects,
    long resent, long sendFailures, Optional<Duration> detection, int detected, int connections) {

  /** Sockets open before the demo and after it. */
  record SocketCount(int before, int after) {
    int leaked() {
      return Math.max(0, after - before);
    }
  }

  /** Puts the client-side and server-side counts together. */
  static Verdict of(DemoClient.Tally clients, Ledger.Counts server, Optional<SocketCount> sockets,
      Optional<Duration> detection, int detected, int connections) {
    return new Verdict(clients.sent(), clients.echoed(), clients.unechoed(),
        server.duplicates() + clients.duplicateEchoes(), clients.duplicateEchoes(),
        server.outOfOrder() + clients.outOfOrder(), clients.outOfOrder(), server.doubleConnects(),
        server.corrupt() + clients.corrupt(), sockets, clients.reconnects(), clients.resent(),
        clients.sendFailures(), detection, detected, connections);
  }

  long leaked() {
    return sockets.map(SocketCount::leaked).orElse(0);
  }

  /** Whether every invariant held, and the run did send and echo frames at all. */
  boolean passed() {
    return sent > 0 && echoed > 0 && lost == 0 && duplicated == 0 && outOfOrder == 0
        && doubleConnects == 0 && leaked() == 0 && corrupt == 0;
  }

  /** The verdict table, one row per line, without colour: {@code name  value  ok|FAIL  note}. */
  List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add(row("frames sent", sent, null, ""));
    out.add(row("frames echoed", echoed, null,
        resent > 0 ? resent + " re-sends (written to a socket that died, or dropped)" : ""));
    out.add(row("lost", lost, lost == 0,
        sendFailures > 0 ? sendFailures + " sends refused by Redial and re-sent" : ""));
    out.add(row("duplicated", duplicated, duplicated == 0, where(duplicated, duplicatedAtClients)));
    out.add(row("out of order", outOfOrder, outOfOrder == 0, where(outOfOrder, outOfOrderAtClients)));
    out.add(row("double connects", doubleConnects, doubleConnects == 0, ""));
    if (sockets.isPresent()) {
      SocketCount s = sockets.get();
      out.add(row("leaked sockets", s.leaked(), s.leaked() == 0,
          "open sockets: " + s.before() + " before, " + s.after() + " after"));
    } else {
      out.add(String.format(Locale.ROOT, "  %-22s %10s  %-4s  %s", "leaked sockets", "n/a", "",
          "cannot count sockets here (no /proc/self/fd)"));
    }
    if (corrupt > 0) {
      out.add(row("corrupt frames", corrupt, false, ""));
    }
    out.add(String.format(Locale.ROOT, "  %-22s %10s  %-4s  %s", "blackhole detected in",
        detection.map(d -> String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0)).orElse("never"),
        "", "longest of " + detected + "/" + connections + " connections (heartbeat miss)"));
    out.add(row("reconnects", reconnects, null, ""));
    return out;
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
}
