package io.redial.internal.agent;

import io.redial.internal.agent.boot.Hooks;
import java.time.Clock;
import java.util.Optional;

/**
 * The agent's own cost per connect+close, without the kernel's: drives the tracker exactly as
 * the woven advice does, from a 20-frame-deep caller, and prints the best of 15 rounds of 20 000,
 * for a {@code Socket} (connect start, connect end, close) and a {@code SocketChannel} (open,
 * connect start, connect end, close). Not a test; run it with
 * {@code java -cp target/test-classes:target/classes:<redial-errors jar>
 * io.redial.internal.agent.TrackerOverhead [agent options, e.g. stacks=all]}. The README quotes
 * its numbers.
 */
public final class TrackerOverhead {
  private static final int ROUNDS = 15;
  private static final int PER_ROUND = 20_000;
  private static final int CALLER_DEPTH = 20;
  private static Object sink;

  private TrackerOverhead() {}

  public static void main(String[] args) throws InterruptedException {
    Reporter silent = new Reporter() {
      @Override
      public void report(Report report) {}

      @Override
      public void summary(Summary summary) {}

      @Override
      public void internalError(String what, Throwable error) {}
    };
    String options = args.length > 0 ? args[0] : "";
    Tracker tracker = new Tracker(AgentOptions.parse(options), silent, Clock.systemUTC());
    tracker.startLeakWatcher();
    Object target = new Object();
    for (boolean channel : new boolean[] {false, true}) {
      long best = Long.MAX_VALUE;
      for (int round = 0; round < ROUNDS; round++) {
        System.gc(); // start each round with the previous round's records collected
        long t0 = System.nanoTime();
        for (int i = 0; i < PER_ROUND; i++) {
          sink = connectAndClose(CALLER_DEPTH, tracker, new Object(), target, channel);
        }
        best = Math.min(best, (System.nanoTime() - t0) / PER_ROUND);
      }
      System.out.println("tracker cost per " + (channel ? "SocketChannel open+" : "Socket ")
          + "connect+close: " + best + " ns (best of " + ROUNDS + " rounds of " + PER_ROUND
          + (options.isEmpty() ? "" : ", " + options) + ")");
    }
    tracker.shutdown();
  }

  private static Object connectAndClose(int depth, Tracker t, Object socket, Object target,
      boolean channel) {
    if (depth > 0) {
      return connectAndClose(depth - 1, t, socket, target, channel);
    }
    if (channel) {
      t.opened(Hooks.CHANNEL_OPEN, socket);
    }
    int connect = channel ? Hooks.CHANNEL_CONNECT : Hooks.SOCKET_CONNECT;
    Object token = t.connectStart(connect, socket, target);
    t.connectEnd(connect, socket, token, true, null);
    t.closed(channel ? Hooks.CHANNEL_CLOSE : Hooks.SOCKET_CLOSE, socket);
    return token;
  }
}
