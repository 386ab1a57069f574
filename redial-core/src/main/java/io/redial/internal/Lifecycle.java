package io.redial.internal;

import io.redial.Backoff;
import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import io.redial.RedialException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The connection's state machine: {@code (state, event) → (state, actions)}. No Netty, no clock,
 * no I/O — the driver ({@link ManagedConnection}) feeds it events and carries out its actions, all
 * on one thread.
 *
 * <p>The invariants it keeps, whatever order events arrive in:
 *
 * <ul>
 *   <li>At most one channel is open: {@link OpenChannel} is emitted only when the previous channel's
 *       {@link ChannelClosed} has arrived. Every transition into CONNECTING happens with no channel
 *       open, and an attempt or a connection is only considered over once its channel is closed.
 *   <li>An event that names another generation than the current channel's changes nothing.
 *   <li>CLOSED is terminal and is only reached with no channel open.
 * </ul>
 *
 * <p>Not thread-safe by design: the owner confines it to the connection's event loop.
 */
public final class Lifecycle {

  // ---- events -------------------------------------------------------------------------------

  /** Something the driver observed. */
  public sealed interface Event
      permits ConnectRequested,
          AttemptSucceeded,
          AttemptFailed,
          ChannelLost,
          HeartbeatMissed,
          ChannelClosed,
          BackoffElapsed,
          StableElapsed,
          ResetBackoff,
          CloseRequested,
          Drained {}

  /** {@code connect()} was called. */
  public record ConnectRequested() implements Event {}

  /** Channel {@code gen} is connected (and its TLS handshake done). */
  public record AttemptSucceeded(long gen) implements Event {}

  /** Channel {@code gen} failed to connect (refused, timed out, TLS failed, …). */
  public record AttemptFailed(long gen, RedialException cause) implements Event {}

  /** Channel {@code gen} failed after connecting (reset, decoder error, …). */
  public record ChannelLost(long gen, RedialException cause) implements Event {}

  /** Channel {@code gen} did not answer its heartbeat. */
  public record HeartbeatMissed(long gen) implements Event {}

  /** Channel {@code gen}'s close future completed: its file descriptor is released. */
  public record ChannelClosed(long gen) implements Event {}

  /** The retry timer number {@code seq} fired. */
  public record BackoffElapsed(long seq) implements Event {}

  /** Channel {@code gen} has stayed connected for {@code stableAfter}. */
  public record StableElapsed(long gen) implements Event {}

  /** {@code resetBackoff()} was called. */
  public record ResetBackoff() implements Event {}

  /** {@code close()} was called; {@code cause} is what pending futures fail with. */
  public record CloseRequested(RedialException cause) implements Event {}

  /** The driver finished flushing channel {@code gen} while CLOSING (or gave up in time). */
  public record Drained(long gen) implements Event {}

  // ---- actions ------------------------------------------------------------------------------

  /** Something the driver must do. */
  public sealed interface Action
      permits OpenChannel,
          CloseChannel,
          ScheduleRetry,
          CancelRetry,
          ScheduleStable,
          FlushQueue,
          Drain,
          Emit,
          Terminate {}

  /** Create a brand-new channel with generation {@code gen} and connect it to the endpoint. */
  public record OpenChannel(long gen, int endpointIndex, int attempt) implements Action {}

  /** Close channel {@code gen} (idempotent); {@link ChannelClosed} follows. */
  public record CloseChannel(long gen, RedialException cause) implements Action {}

  /** Fire {@link BackoffElapsed}({@code seq}) after {@code delayNanos}. */
  public record ScheduleRetry(long seq, long delayNanos) implements Action {}

  /** Cancel the pending retry timer, if any. */
  public record CancelRetry() implements Action {}

  /**
   * Channel {@code gen} is stable once it has stayed up {@code delayNanos}: report
   * {@link StableElapsed}({@code gen}) then. Only the next backoff delay depends on it, so the
   * driver may report it late, as long as it does before that channel's {@link ChannelClosed}
   * (Redial's driver checks the time when the channel closes, with no timer).
   */
  public record ScheduleStable(long gen, long delayNanos) implements Action {}

  /** Channel {@code gen} is up: write what is queued, in order. */
  public record FlushQueue(long gen) implements Action {}

  /** Flush what is queued on channel {@code gen}, bounded in time; then fire {@link Drained}. */
  public record Drain(long gen) implements Action {}

  /** Deliver an event to the listeners. */
  public record Emit(ConnectionEvent event) implements Action {}

  /** CLOSED: fail what is pending with {@code cause}, cancel every timer, release everything. */
  public record Terminate(RedialException cause) implements Action {}

  // ---- configuration ------------------------------------------------------------------------

  private final String name;
  private final List<Endpoint> endpoints;
  private final Backoff backoff;
  private final RandomGenerator random;
  private final int maxAttempts; // 0: unlimited
  private final long stableAfterNanos;

  // ---- state (owner thread only) ------------------------------------------------------------

  private ConnectionState state = ConnectionState.IDLE;
  /** Generation of the newest channel; 0 before the first attempt. Only grows. */
  private long generation;
  /** True while channel {@code generation} is open: between OpenChannel and ChannelClosed. */
  private boolean channelOpen;
  /**
   * Why channel {@code generation} is going away; set by the first failure report for it, so that
   * a late success after a timeout cannot make it CONNECTED. Null while the channel is healthy.
   */
  private RedialException pendingCause;
  /** Why the connection is CLOSING or CLOSED; null before. */
  private RedialException closeCause;
  /** The endpoint of the next (or current) attempt. */
  private int endpointIndex;
  /** Failed attempts in the current sweep over the endpoints. */
  private int attemptsInSweep;
  /** Failed attempts since the last successful connect: counted against maxAttempts. */
  private int failedAttempts;
  /** Backoff waits since the last reset: the exponent of the next delay. */
  private int backoffRetries;
  /** Identifies the current retry timer; a BackoffElapsed with another seq is stale. */
  private long retrySeq;

  private long attempts;
  private long connects;
  private long disconnects;

  public Lifecycle(
      String name,
      List<Endpoint> endpoints,
      Backoff backoff,
      RandomGenerator random,
      int maxAttempts,
      Duration stableAfter) {
    this.name = Objects.requireNonNull(name, "name");
    this.endpoints = List.copyOf(endpoints);
    if (this.endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints must not be empty");
    }
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.random = Objects.requireNonNull(random, "random");
    this.maxAttempts = maxAttempts;
    this.stableAfterNanos = stableAfter.toNanos();
  }

  public ConnectionState state() {
    return state;
  }

  public long generation() {
    return generation;
  }

  public boolean channelOpen() {
    return channelOpen;
  }

  public long attempts() {
    return attempts;
  }

  public long connects() {
    return connects;
  }

  public long disconnects() {
    return disconnects;
  }

  /** Why the connection closed, once CLOSING or CLOSED. */
  public Optional<RedialException> closeCause() {
    return Optional.ofNullable(closeCause);
  }

  /** Applies one event; returns the actions to carry out, in order. */
  public List<Action> handle(Event event) {
    List<Action> out = new ArrayList<>(4);
    if (event instanceof ConnectRequested) {
      if (state == ConnectionState.IDLE) {
        goTo(ConnectionState.CONNECTING, null, out);
        startAttempt(out);
      }
    } else if (event instanceof AttemptSucceeded e) {
      if (isCurrentHealthy(e.gen()) && state == ConnectionState.CONNECTING) {
        connects++;
        failedAttempts = 0;
        attemptsInSweep = 0;
        goTo(ConnectionState.CONNECTED, null, out);
        out.add(new ScheduleStable(generation, stableAfterNanos));
        out.add(new FlushQueue(generation));
      }
    } else if (event instanceof AttemptFailed e) {
      if (isCurrentHealthy(e.gen()) && state == ConnectionState.CONNECTING) {
        pendingCause = e.cause();
        out.add(new CloseChannel(generation, e.cause()));
      }
    } else if (event instanceof ChannelLost e) {
      if (isCurrentHealthy(e.gen())
          && (state == ConnectionState.CONNECTED || state == ConnectionState.CONNECTING)) {
        pendingCause = e.cause();
        out.add(new CloseChannel(generation, e.cause()));
      } else if (state == ConnectionState.CLOSING && e.gen() == generation && channelOpen) {
        out.add(new CloseChannel(generation, e.cause())); // no point draining a broken channel
      }
    } else if (event instanceof HeartbeatMissed e) {
      if (isCurrentHealthy(e.gen()) && state == ConnectionState.CONNECTED) {
        pendingCause =
            RedialException.of(
                "HEARTBEAT_TIMEOUT",
                "connection '" + name + "' generation " + generation
                    + ": no frame arrived within the heartbeat timeout (half-open connection?)");
        out.add(new Emit(new ConnectionEvent.HeartbeatMissed(name, generation)));
        out.add(new CloseChannel(generation, pendingCause));
      }
    } else if (event instanceof ChannelClosed e) {
      if (e.gen() == generation && channelOpen) {
        channelOpen = false;
        onChannelClosed(out);
      }
    } else if (event instanceof BackoffElapsed e) {
      if (state == ConnectionState.BACKOFF && e.seq() == retrySeq) {
        goTo(ConnectionState.CONNECTING, null, out);
        startAttempt(out);
      }
    } else if (event instanceof StableElapsed e) {
      if (e.gen() == generation && state == ConnectionState.CONNECTED) {
        backoffRetries = 0;
      }
    } else if (event instanceof ResetBackoff) {
      backoffRetries = 0;
      if (state == ConnectionState.BACKOFF) {
        retrySeq++; // a timer that fires anyway is now stale
        out.add(new CancelRetry());
        attemptsInSweep = 0;
        goTo(ConnectionState.CONNECTING, null, out);
        startAttempt(out);
      }
    } else if (event instanceof CloseRequested e) {
      onCloseRequested(e.cause(), out);
    } else if (event instanceof Drained e) {
      if (state == ConnectionState.CLOSING && e.gen() == generation && channelOpen) {
        out.add(new CloseChannel(generation, closeCause));
      }
    }
    return out;
  }

  /** Channel {@code gen} is the current one, open, and nothing has condemned it yet. */
  private boolean isCurrentHealthy(long gen) {
    return gen == generation && channelOpen && pendingCause == null;
  }

  private void onCloseRequested(RedialException cause, List<Action> out) {
    switch (state) {
      case CLOSING, CLOSED -> {
        // close() is idempotent
      }
      case IDLE, BACKOFF -> {
        closeCause = cause;
        retrySeq++;
        out.add(new CancelRetry());
        goTo(ConnectionState.CLOSING, cause, out);
        finishClose(out);
      }
      case CONNECTING -> {
        closeCause = cause;
        goTo(ConnectionState.CLOSING, cause, out);
        out.add(new CloseChannel(generation, cause));
      }
      case CONNECTED -> {
        closeCause = cause;
        goTo(ConnectionState.CLOSING, cause, out);
        out.add(new Drain(generation));
      }
    }
  }

  private void onChannelClosed(List<Action> out) {
    switch (state) {
      case CONNECTING -> attemptFailed(causeOrClosed("closed before it connected"), out);
      case CONNECTED -> lost(causeOrClosed("the peer closed the connection"), out);
      case CLOSING -> finishClose(out);
      default -> throw new IllegalStateException("channel open in state " + state);
    }
    pendingCause = null;
  }

  private RedialException causeOrClosed(String what) {
    if (pendingCause != null) {
      return pendingCause;
    }
    return RedialException.of(
        "CHANNEL_CLOSED", "connection '" + name + "' generation " + generation + ": " + what);
  }

  private void attemptFailed(RedialException cause, List<Action> out) {
    failedAttempts++;
    attemptsInSweep++;
    String endpoint = endpoints.get(endpointIndex).label();
    int attempt = failedAttempts;
    if (maxAttempts > 0 && failedAttempts >= maxAttempts) {
      out.add(
          new Emit(
              new ConnectionEvent.AttemptFailed(name, attempt, endpoint, cause, Optional.empty())));
      RedialException spent =
          new RedialException(
              cause.error(),
              "connection '" + name + "': gave up after " + failedAttempts
                  + " failed attempts (maxAttempts " + maxAttempts + "); last: "
                  + cause.getMessage(),
              cause);
      closeCause = spent;
      goTo(ConnectionState.CLOSED, spent, out);
      out.add(new Terminate(spent));
      return;
    }
    endpointIndex = (endpointIndex + 1) % endpoints.size();
    if (attemptsInSweep < endpoints.size()) {
      out.add(
          new Emit(
              new ConnectionEvent.AttemptFailed(
                  name, attempt, endpoint, cause, Optional.of(Duration.ZERO))));
      startAttempt(out);
      return;
    }
    attemptsInSweep = 0;
    long delay = backoff.delay(backoffRetries++, random).toNanos();
    out.add(
        new Emit(
            new ConnectionEvent.AttemptFailed(
                name, attempt, endpoint, cause, Optional.of(Duration.ofNanos(delay)))));
    goTo(ConnectionState.BACKOFF, cause, out);
    out.add(new ScheduleRetry(++retrySeq, delay));
  }

  private void lost(RedialException cause, List<Action> out) {
    disconnects++;
    attemptsInSweep = 0; // the next sweep starts with the endpoint that just worked
    long delay = backoff.delay(backoffRetries++, random).toNanos();
    goTo(ConnectionState.BACKOFF, cause, out);
    out.add(new ScheduleRetry(++retrySeq, delay));
  }

  private void startAttempt(List<Action> out) {
    if (channelOpen) {
      throw new IllegalStateException("attempt started while channel " + generation + " is open");
    }
    generation++;
    attempts++;
    channelOpen = true;
    pendingCause = null;
    int attempt = failedAttempts + 1;
    out.add(new OpenChannel(generation, endpointIndex, attempt));
    out.add(
        new Emit(
            new ConnectionEvent.AttemptStarted(
                name, attempt, endpoints.get(endpointIndex).label(), generation)));
  }

  private void finishClose(List<Action> out) {
    goTo(ConnectionState.CLOSED, closeCause, out);
    out.add(new Terminate(closeCause));
  }

  /** The one place the state changes: listeners hear of real changes only; CLOSED is final. */
  private void goTo(ConnectionState to, RedialException cause, List<Action> out) {
    if (state == to) {
      return;
    }
    if (state == ConnectionState.CLOSED) {
      throw new IllegalStateException("CLOSED is terminal; refused to go to " + to);
    }
    ConnectionState from = state;
    state = to;
    out.add(
        new Emit(new ConnectionEvent.StateChanged(name, from, to, generation, cause)));
  }
}
