package io.redial.internal;

import io.redial.Backoff;
import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import io.redial.RedialException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The vocabulary of {@link Lifecycle}: its phases and timers, the events the driver reports and
 * the actions it carries out, and the settings it needs. {@code Lifecycle} implements this
 * interface, so {@code Lifecycle.ChannelLost} and the like name these types.
 */
public interface LifecycleTypes {

  /**
   * Finer than {@link ConnectionState}: the public state of each phase is {@link #state}. The
   * handshake is part of connecting, draining part of closing.
   */
  public enum Phase {
    IDLE(ConnectionState.IDLE),
    /** A channel is connecting (TCP, then TLS). */
    CONNECTING(ConnectionState.CONNECTING),
    /** The channel is connected; the handshake runs; the queue stays shut. */
    HANDSHAKING(ConnectionState.CONNECTING),
    CONNECTED(ConnectionState.CONNECTED),
    BACKOFF(ConnectionState.BACKOFF),
    /** close() was called while CONNECTED: what is queued is flushed, bounded by a timer. */
    DRAINING(ConnectionState.CLOSING),
    /** The channel is closing for good. */
    CLOSING(ConnectionState.CLOSING),
    CLOSED(ConnectionState.CLOSED);

    public final ConnectionState state;

    Phase(ConnectionState state) {
      this.state = state;
    }
  }

  /** The machine's timers; at most one of each kind is pending. */
  public enum Timer {
    /** The wait in BACKOFF. */
    RETRY,
    /** The bound on one attempt: TCP connect, TLS and the handshake. */
    CONNECT,
    /** The bound on close()'s flush. */
    DRAIN,
    /** maxConnectionAge: replace a healthy channel. */
    MAX_AGE
  }

  // ---- events -------------------------------------------------------------------------------
  // Named apart from the public ConnectionEvent records: these are what the driver observed.

  /** Something the driver observed. */
  public sealed interface Event
      permits ConnectRequested,
          TransportUp,
          HandshakeDone,
          HandshakeRefused,
          ConnectFailed,
          ChannelLost,
          PingUnanswered,
          ChannelClosed,
          TimerFired,
          ResetBackoff,
          ReconnectRequested,
          CloseRequested,
          Drained {}

  /** {@code connect()} was called. */
  public record ConnectRequested() implements Event {}

  /** Channel {@code gen} is connected (and its TLS handshake done) at {@code nowNanos}. */
  public record TransportUp(long gen, long nowNanos) implements Event {
    /** For tests that replay stale reports, whose time does not matter. */
    public TransportUp(long gen) {
      this(gen, 0);
    }
  }

  /** The handshake on channel {@code gen} succeeded at {@code nowNanos}. */
  public record HandshakeDone(long gen, long nowNanos) implements Event {}

  /** The peer rejected the handshake on channel {@code gen} for good: close the connection. */
  public record HandshakeRefused(long gen, RedialException cause) implements Event {}

  /** Channel {@code gen} failed to connect (refused, TLS failed, handshake failed, …). */
  public record ConnectFailed(long gen, RedialException cause) implements Event {}

  /** Channel {@code gen} failed after connecting (reset, decoder error, …). */
  public record ChannelLost(long gen, RedialException cause) implements Event {}

  /** Channel {@code gen} did not answer its heartbeat. */
  public record PingUnanswered(long gen) implements Event {}

  /** Channel {@code gen}'s close future completed at {@code nowNanos}: its descriptor is free. */
  public record ChannelClosed(long gen, long nowNanos) implements Event {
    /** For tests that replay stale reports, whose time does not matter. */
    public ChannelClosed(long gen) {
      this(gen, 0);
    }
  }

  /** Timer {@code timer} scheduled with {@code token} fired. */
  public record TimerFired(Timer timer, long token) implements Event {}

  /** {@code resetBackoff()} was called. */
  public record ResetBackoff() implements Event {}

  /** {@code reconnect()} was called: replace the live channel with a fresh one. */
  public record ReconnectRequested() implements Event {}

  /** {@code close()} was called; {@code cause} is what pending futures fail with. */
  public record CloseRequested(RedialException cause) implements Event {}

  /** The driver flushed everything queued on channel {@code gen} while DRAINING. */
  public record Drained(long gen) implements Event {}

  // ---- actions ------------------------------------------------------------------------------

  /** Something the driver must do. */
  public sealed interface Action
      permits OpenChannel,
          StartHandshake,
          CloseChannel,
          ScheduleTimer,
          CancelTimer,
          FlushQueue,
          Drain,
          Emit,
          Terminate {}

  /** Create a brand-new channel with generation {@code gen} and connect it to the endpoint. */
  public record OpenChannel(long gen, int endpointIndex, int attempt) implements Action {}

  /** Run the handshake on channel {@code gen}; report {@link HandshakeDone} or a failure. */
  public record StartHandshake(long gen) implements Action {}

  /** Close channel {@code gen} (idempotent); {@link ChannelClosed} follows. */
  public record CloseChannel(long gen, RedialException cause) implements Action {}

  /** Fire {@link TimerFired}({@code timer}, {@code token}) after {@code delayNanos}. */
  public record ScheduleTimer(Timer timer, long token, long delayNanos) implements Action {}

  /** Cancel the pending timer of this kind, if any. */
  public record CancelTimer(Timer timer) implements Action {}

  /** Channel {@code gen} is up and handshaken: write what is queued, in order. */
  public record FlushQueue(long gen) implements Action {}

  /** Flush what is queued on channel {@code gen}; report {@link Drained} once nothing is left. */
  public record Drain(long gen) implements Action {}

  /** Deliver an event to the listeners. */
  public record Emit(ConnectionEvent event) implements Action {}

  /** CLOSED: fail what is pending with {@code cause}, cancel every timer, release everything. */
  public record Terminate(RedialException cause) implements Action {}

  // ---- where attempts go ----------------------------------------------------------------------

  /**
   * The targets of the attempts, sweep after sweep. The machine only moves through it; the
   * driver's implementation ({@link Sweep}) fills it (discovery, name resolution).
   */
  interface Route {
    /** The current target, for events and messages. */
    String label();

    /** The index of the current target's endpoint in its list (for tests and logs). */
    int index();

    /**
     * After a failed attempt: moves to the next target of this sweep and returns true, or returns
     * false when the sweep is over (the next attempt then starts a new sweep, from the top).
     */
    boolean advance();

    /**
     * The next attempt starts a new sweep. {@code stay}: it starts with the current target's
     * endpoint (the one that just worked); otherwise from the top of the list (failback).
     */
    void newSweep(boolean stay);
  }

  // ---- configuration ------------------------------------------------------------------------

  /**
   * What the machine needs to know of the configuration.
   *
   * @param maxAttempts 0: unlimited
   * @param maxAgeNanos 0: no maximum connection age
   */
  interface Settings {
    String name();

    List<Endpoint> endpoints();

    Backoff backoff();

    RandomGenerator random();

    /** 0: unlimited. */
    int maxAttempts();

    long stableAfterNanos();

    long connectTimeoutNanos();

    long closeTimeoutNanos();

    /** Whether a handshake runs on every channel before CONNECTED. */
    boolean hasHandshake();

    /** 0: no maximum connection age. */
    long maxAgeNanos();

    /** Fixed settings (tests, benchmarks); a connection's are its configuration itself. */
    static Settings of(String name, List<Endpoint> endpoints, Backoff backoff,
        RandomGenerator random, int maxAttempts, long stableAfterNanos, long connectTimeoutNanos,
        long closeTimeoutNanos, boolean hasHandshake, long maxAgeNanos) {
      return new Fixed(name, List.copyOf(endpoints), backoff, random, maxAttempts,
          stableAfterNanos, connectTimeoutNanos, closeTimeoutNanos, hasHandshake, maxAgeNanos);
    }

    /** Defaults for what the older tests do not set: 10 s connect, 5 s close, no handshake. */
    static Settings of(String name, List<Endpoint> endpoints, Backoff backoff,
        RandomGenerator random, int maxAttempts, Duration stableAfter) {
      return of(name, endpoints, backoff, random, maxAttempts, stableAfter.toNanos(),
          Duration.ofSeconds(10).toNanos(), Duration.ofSeconds(5).toNanos(), false, 0);
    }

    /** Settings given as values. */
    record Fixed(String name, List<Endpoint> endpoints, Backoff backoff, RandomGenerator random,
        int maxAttempts, long stableAfterNanos, long connectTimeoutNanos, long closeTimeoutNanos,
        boolean hasHandshake, long maxAgeNanos) implements Settings {}
  }
}
