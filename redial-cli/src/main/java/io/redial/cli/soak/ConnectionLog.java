package io.redial.cli.soak;

import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What one connection's listener events said, whatever the traffic: its connects, events of a
 * generation older than one already seen (stale: DESIGN invariant 2), and, when asked for, the
 * states it went through and when (the demo's report) and its heartbeat misses (how fast a
 * blackhole was noticed).
 *
 * <p>The counts take constant memory. The lists grow with the run (up to {@link #MAX_TRANSITIONS}
 * and {@link #MAX_MISSES}), so a soak that measures its heap keeps neither: they would count as
 * heap growth.
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
  private final boolean keepTransitions;
  private final boolean keepMisses;
  private final List<Transition> transitions = new ArrayList<>();
  private final List<Long> heartbeatMisses = new ArrayList<>();
  private long stateChanges;
  private long misses;
  private long connects;
  private long staleEvents;
  private long maxGeneration;

  /** A log that keeps the transitions and the heartbeat misses. */
  ConnectionLog(LongSupplier clock) {
    this(clock, true, true);
  }

  /**
   * @param keepTransitions keep every state change (up to {@link #MAX_TRANSITIONS}) for a report;
   *     else only the first state, IDLE, and a count
   * @param keepMisses keep the heartbeat misses' times (up to {@link #MAX_MISSES}) for
   *     {@link #firstMissBetween}; else only a count
   */
  ConnectionLog(LongSupplier clock, boolean keepTransitions, boolean keepMisses) {
    this.clock = clock;
    this.keepTransitions = keepTransitions;
    this.keepMisses = keepMisses;
    transitions.add(new Transition(clock.getAsLong(), ConnectionState.IDLE));
  }

  /** A connection event, on the event loop. */
  synchronized void onEvent(ConnectionEvent event) {
    long gen = -1;
    if (event instanceof ConnectionEvent.StateChanged sc) {
      gen = sc.generation();
      stateChanges++;
      if (keepTransitions && transitions.size() < MAX_TRANSITIONS) {
        transitions.add(new Transition(clock.getAsLong(), sc.to()));
      }
      if (sc.to() == ConnectionState.CONNECTED) {
        connects++;
      }
    } else if (event instanceof ConnectionEvent.AttemptStarted as) {
      gen = as.generation();
    } else if (event instanceof ConnectionEvent.HeartbeatMissed hm) {
      gen = hm.generation();
      misses++;
      if (keepMisses && heartbeatMisses.size() < MAX_MISSES) {
        heartbeatMisses.add(clock.getAsLong());
      }
    }
    if (gen >= 0 && gen < maxGeneration) {
      staleEvents++;
    }
    maxGeneration = Math.max(maxGeneration, gen);
  }

  /**
   * The first heartbeat miss at or after {@code fromNanos} and before {@code toNanos}, or -1
   * (always -1 when the misses are not kept).
   */
  synchronized long firstMissBetween(long fromNanos, long toNanos) {
    for (long t : heartbeatMisses) {
      if (t - fromNanos >= 0 && t - toNanos < 0) {
        return t;
      }
    }
    return -1;
  }

  /** The states kept: the first (IDLE) and, when kept, every change after it. */
  synchronized List<Transition> transitions() {
    return List.copyOf(transitions);
  }

  /** How many transitions are held (the first state included). */
  synchronized int keptTransitions() {
    return transitions.size();
  }

  /** How many heartbeat-miss times are held. */
  synchronized int keptMisses() {
    return heartbeatMisses.size();
  }

  /** State changes seen, kept or not. */
  synchronized long stateChanges() {
    return stateChanges;
  }

  /** Heartbeat misses seen, kept or not. */
  synchronized long heartbeatMisses() {
    return misses;
  }

  /** Its share of a {@link Tally}: stale events and reconnects. */
  synchronized Tally tally() {
    return new Tally(0, 0, 0, 0, 0, 0, 0, 0, staleEvents, Math.max(0, connects - 1));
  }
}
