package io.redial.cli.soak;

import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What one connection's listener events said, whatever the traffic: the states it went through
 * and when (the demo's report), its heartbeat misses (how fast a blackhole was noticed), its
 * connects, and events of a generation older than one already seen (stale: DESIGN invariant 2).
 *
 * <p>Thread-safety: synchronized; the event loop writes, the soak's thread reads.
 */
final class ConnectionLog {
  /** Most state changes kept for the report; a connection flapping beyond that is cut short. */
  static final int MAX_TRANSITIONS = 20_000;
  /** Most heartbeat misses kept. */
  static final int MAX_MISSES = 10_000;

  /** A state the connection entered, at a time. */
  record Transition(long nanos, ConnectionState state) {}

  private final LongSupplier clock;
  private final List<Transition> transitions = new ArrayList<>();
  private final List<Long> heartbeatMisses = new ArrayList<>();
  private long connects;
  private long staleEvents;
  private long maxGeneration;

  ConnectionLog(LongSupplier clock) {
    this.clock = clock;
    transitions.add(new Transition(clock.getAsLong(), ConnectionState.IDLE));
  }

  /** A connection event, on the event loop. */
  synchronized void onEvent(ConnectionEvent event) {
    long now = clock.getAsLong();
    long gen = -1;
    if (event instanceof ConnectionEvent.StateChanged sc) {
      gen = sc.generation();
      if (transitions.size() < MAX_TRANSITIONS) {
        transitions.add(new Transition(now, sc.to()));
      }
      if (sc.to() == ConnectionState.CONNECTED) {
        connects++;
      }
    } else if (event instanceof ConnectionEvent.AttemptStarted as) {
      gen = as.generation();
    } else if (event instanceof ConnectionEvent.HeartbeatMissed hm) {
      gen = hm.generation();
      if (heartbeatMisses.size() < MAX_MISSES) {
        heartbeatMisses.add(now);
      }
    }
    if (gen >= 0 && gen < maxGeneration) {
      staleEvents++;
    }
    maxGeneration = Math.max(maxGeneration, gen);
  }

  /** The first heartbeat miss at or after {@code fromNanos} and before {@code toNanos}, or -1. */
  synchronized long firstMissBetween(long fromNanos, long toNanos) {
    for (long t : heartbeatMisses) {
      if (t - fromNanos >= 0 && t - toNanos < 0) {
        return t;
      }
    }
    return -1;
  }

  synchronized List<Transition> transitions() {
    return List.copyOf(transitions);
  }

  /** Its share of a {@link Tally}: stale events and reconnects. */
  synchronized Tally tally() {
    return new Tally(0, 0, 0, 0, 0, 0, 0, 0, staleEvents, Math.max(0, connects - 1));
  }
}
