package io.redial.cli.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The soak's judgement: every invariant as a count that must be zero (or, for the heap, a bound),
 * with the seed that reproduces the run.
 *
 * @param seed the run's seed
 * @param clients what the connections saw, summed
 * @param hungFutures send and connect futures not completed after everything closed
 * @param doubleConnects two server-side sockets of one connection open at once, beyond the grace
 * @param serverCorrupt frames the server could not read as soak frames
 * @param fdDelta network sockets open after closing minus before building; empty where
 *     {@code /proc/self/fd} does not exist
 * @param threadDelta live threads after closing minus before building
 * @param heapBefore used heap after GC before building the connections, bytes
 * @param heapAfter used heap after GC after closing them, bytes
 */
public record ChaosVerdict(long seed, Tally clients, long hungFutures, long doubleConnects,
    long serverCorrupt, OptionalInt fdDelta, int threadDelta, long heapBefore, long heapAfter) {
  /** How much the heap may grow from start to end. */
  public static final double HEAP_TOLERANCE = 0.05;

  /**
   * One connection's counts, or a sum.
   *
   * @param sent distinct frames sent
   * @param echoed distinct frames echoed
   * @param lost frames without an echo (at the end: lost), given-up frames included
   * @param resent re-sends by the application (not failures: the repair TCP cannot do)
   * @param staleEvents listener events of a generation older than one already seen
   * @param reconnects connects after the first
   */
  public record Tally(long sent, long echoed, long lost, long duplicated, long outOfOrder,
      long corrupt, long resent, long staleEvents, long reconnects) {
    public static final Tally ZERO = new Tally(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public Tally plus(Tally o) {
      return new Tally(sent + o.sent, echoed + o.echoed, lost + o.lost, duplicated + o.duplicated,
          outOfOrder + o.outOfOrder, corrupt + o.corrupt, resent + o.resent,
          staleEvents + o.staleEvents, reconnects + o.reconnects);
    }
  }

  /** Whether the heap after is within {@link #HEAP_TOLERANCE} of the heap before. */
  public boolean heapHeld() {
    return heapAfter <= heapBefore * (1 + HEAP_TOLERANCE);
  }

  /** Whether every invariant held. */
  public boolean passed() {
    return clients.lost() == 0 && clients.duplicated() == 0 && clients.outOfOrder() == 0
        && clients.corrupt() == 0 && serverCorrupt == 0 && hungFutures == 0
        && doubleConnects == 0 && clients.staleEvents() == 0
        && (fdDelta.isEmpty() || fdDelta.getAsInt() <= 0) && threadDelta <= 0 && heapHeld()
        && clients.sent() > 0;
  }

  /** The verdict for people, one check per line, then the seed. */
  public List<String> lines() {
    List<String> l = new ArrayList<>();
    l.add(String.format(Locale.ROOT, "  frames sent %d, echoed %d, re-sent %d, reconnects %d",
        clients.sent(), clients.echoed(), clients.resent(), clients.reconnects()));
    l.add(check("lost", clients.lost()));
    l.add(check("duplicated", clients.duplicated()));
    l.add(check("out of order", clients.outOfOrder()));
    l.add(check("corrupt", clients.corrupt() + serverCorrupt));
    l.add(check("hung futures", hungFutures));
    l.add(check("double connects", doubleConnects));
    l.add(check("actions on a stale generation", clients.staleEvents()));
    l.add(fdDelta.isPresent() ? check("file-descriptor delta", Math.max(0, fdDelta.getAsInt()))
        : "  file-descriptor delta: not measured (no /proc/self/fd)");
    l.add(check("thread delta", Math.max(0, threadDelta)));
    l.add(String.format(Locale.ROOT, "  %-30s %.1f MiB -> %.1f MiB (%+.1f %%, allowed +%.0f %%)  %s",
        "heap after GC", heapBefore / 1048576.0, heapAfter / 1048576.0,
        heapBefore == 0 ? 0.0 : 100.0 * (heapAfter - heapBefore) / heapBefore,
        HEAP_TOLERANCE * 100, heapHeld() ? "ok" : "FAIL"));
    if (clients.sent() == 0) {
      l.add("  no frame was sent: nothing was tested  FAIL");
    }
    l.add((passed() ? "PASS" : "FAIL") + " (seed " + seed + "; the same seed replays the same faults)");
    return l;
  }

  private static String check(String name, long n) {
    return String.format(Locale.ROOT, "  %-30s %d  %s", name, n, n == 0 ? "ok" : "FAIL");
  }
}
