package io.redial.cli.soak;

import io.redial.ConnectionState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The demo's live view. On a terminal it redraws a small block in place; otherwise (piped, CI) it
 * prints one plain line per update, so logs stay readable.
 */
final class LiveView {
  static final int BAR_WIDTH = 30;
  private static final String CLEAR_LINE = "\u001b[2K";

  private final PrintWriter out;
  private final boolean inPlace;
  private final UnaryOperator<String> emphasis;
  /** Lines drawn last time in place (to move back over them); 0 before the first draw. */
  private int drawn;

  /** What the view shows at one moment. */
  record Snapshot(long elapsedMillis, long totalMillis, Map<ConnectionState, Integer> states,
      long reconnects, long sent, long echoed, long queued, String fault) {
    Snapshot {
      states = states.isEmpty() ? new EnumMap<>(ConnectionState.class) : new EnumMap<>(states);
    }
  }

  /**
   * @param inPlace redraw on a terminal (ANSI cursor movement) instead of printing lines
   * @param emphasis how to highlight (colour, or identity)
   */
  LiveView(PrintWriter out, boolean inPlace, UnaryOperator<String> emphasis) {
    this.out = out;
    this.inPlace = inPlace;
    this.emphasis = emphasis;
  }

  boolean inPlace() {
    return inPlace;
  }

  void update(Snapshot s) {
    if (inPlace) {
      if (drawn > 0) {
        out.print("\u001b[" + drawn + "F"); // back to the first line of the block
      }
      List<String> lines = block(s);
      for (String line : lines) {
        out.print(CLEAR_LINE);
        out.println(line);
      }
      drawn = lines.size();
    } else {
      out.println(plainLine(s));
    }
    out.flush();
  }

  /** The in-place block. */
  List<String> block(Snapshot s) {
    List<String> lines = new ArrayList<>();
    lines.add(emphasis.apply("redial demo") + "  " + bar(s) + "  " + seconds(s.elapsedMillis())
        + " / " + seconds(s.totalMillis()));
    lines.add("  fault now     " + emphasis.apply(s.fault()));
    lines.add("  connections   " + states(s));
    lines.add("  reconnects    " + s.reconnects());
    lines.add("  frames        sent " + s.sent() + "   echoed " + s.echoed() + "   queued "
        + s.queued());
    return lines;
  }

  /** One line for logs: {@code [ 12.3s/30.0s] CONNECTED 32 | reconnects 64 | …}. */
  static String plainLine(Snapshot s) {
    return "[" + String.format(Locale.ROOT, "%5s", seconds(s.elapsedMillis())) + "/"
        + seconds(s.totalMillis()) + "] " + states(s) + " | reconnects " + s.reconnects()
        + " | sent " + s.sent() + " echoed " + s.echoed() + " queued " + s.queued()
        + " | fault: " + s.fault();
  }

  static String bar(Snapshot s) {
    long total = Math.max(1, s.totalMillis());
    int filled = (int) Math.min(BAR_WIDTH, Math.max(0, s.elapsedMillis()) * BAR_WIDTH / total);
    return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
  }

  private static String states(Snapshot s) {
    StringBuilder b = new StringBuilder();
    for (ConnectionState state : ConnectionState.values()) {
      int n = s.states().getOrDefault(state, 0);
      if (n > 0 || state == ConnectionState.CONNECTED) { // CONNECTED 0 is news worth showing
        if (b.length() > 0) {
          b.append(' ');
        }
        b.append(state).append(' ').append(n);
      }
    }
    return b.toString();
  }

  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}
