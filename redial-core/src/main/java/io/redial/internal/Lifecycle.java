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
 * The connection's whole state machine: {@code (phase, event) → (phase, actions)}. No Netty, no
 * clock, no I/O: every timer is an action ({@link ScheduleTimer}) and its firing an event
 * ({@link TimerFired}); what depends on time (is the connection stable?) is decided from the
 * {@code now} the events carry. The driver ({@link ManagedConnection}) feeds it events and carries
 * out its actions, all on one thread.
 *
 * <p>The invariants it keeps, whatever order events arrive in:
 *
 * <ul>
 *   <li>At most one channel is open: {@link OpenChannel} is emitted only when the previous channel's
 *       {@link ChannelClosed} has arrived. Every transition into CONNECTING happens with no channel
 *       open, and an attempt or a connection is only considered over once its channel is closed.
 *   <li>An event that names another generation than the current channel's changes nothing, and a
 *       timer that fires with a stale token changes nothing.
 *   <li>Nothing queued is flushed before the channel's handshake succeeded ({@link FlushQueue} is
 *       only emitted on entering CONNECTED).
 *   <li>CLOSED is terminal and is only reached with no channel open.
 * </ul>
 *
 * <p>Not thread-safe by design: the owner confines it to the connection's event loop.
 */
public final class Lifecycle extends LifecycleTimers implements LifecycleTypes {

  private final Settings settings;
  /** The targets of the attempts: which endpoint (and address) comes next. */
  private final Route route;

  // ---- state (owner thread only) ------------------------------------------------------------

  private Phase phase = Phase.IDLE;
  /** Generation of the newest channel; 0 before the first attempt. Only grows. */
  private long generation;
  /** True while channel {@code generation} is open: between OpenChannel and ChannelClosed. */
  private boolean channelOpen;
  /**
   * Why channel {@code generation} is going away; set by the first failure report for it, so that
   * a late success after a timeout cannot make it CONNECTED. Null while the channel is healthy.
   */
  private RedialException pendingCause;
  /** True when the open channel is being replaced on purpose (reconnect(), maxConnectionAge). */
  private boolean replacing;
  /** Why the connection is CLOSING or CLOSED; null before. */
  private RedialException closeCause;
  /** Failed attempts since the last successful connect: counted against maxAttempts. */
  private int failedAttempts;
  /** Backoff waits since the last reset: the exponent of the next delay. */
  private int backoffRetries;
  /** When the current channel reached CONNECTED (the events' clock); valid while CONNECTED. */
  private long connectedAtNanos;

  private long attempts;
  private long connects;
  private long disconnects;

  /** A machine over the settings' fixed endpoint list, in order. */
  public Lifecycle(Settings settings) {
    this(settings, new Sweep(settings.name(), settings.endpoints(), null, false,
        settings.random()));
  }

  /** A machine whose attempts go where {@code route} says (discovery, resolved addresses). */
  public Lifecycle(Settings settings, Route route) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.route = Objects.requireNonNull(route, "route");
  }

  public Lifecycle(String name, List<Endpoint> endpoints, Backoff backoff, RandomGenerator random,
      int maxAttempts, Duration stableAfter) {
    this(Settings.of(name, endpoints, backoff, random, maxAttempts, stableAfter));
  }

  public ConnectionState state() {
    return phase.state;
  }

  public Phase phase() {
    return phase;
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

  /** True while channel {@code gen} may carry the queue's messages (CONNECTED or DRAINING). */
  public boolean flushing(long gen) {
    return gen == generation && (phase == Phase.CONNECTED || phase == Phase.DRAINING);
  }

  /** True while channel {@code gen} is connected and its handshake runs. */
  public boolean handshaking(long gen) {
    return gen == generation && phase == Phase.HANDSHAKING && pendingCause == null;
  }

  /** Why the connection closed, once CLOSING or CLOSED. */
  public Optional<RedialException> closeCause() {
    return Optional.ofNullable(closeCause);
  }

  /** Applies one event; returns the actions to carry out, in order. */
  public List<Action> handle(Event event) {
    List<Action> out = new ArrayList<>(4);
    if (event instanceof ConnectRequested) {
      if (phase == Phase.IDLE) {
        attempt(null, out);
      }
    } else if (event instanceof TransportUp e) {
      if (isCurrentHealthy(e.gen()) && phase == Phase.CONNECTING) {
        if (settings.hasHandshake()) {
          phase = Phase.HANDSHAKING; // public state stays CONNECTING
          out.add(new StartHandshake(generation));
        } else {
          connected(e.nowNanos(), out);
        }
      }
    } else if (event instanceof HandshakeDone e) {
      if (isCurrentHealthy(e.gen()) && phase == Phase.HANDSHAKING) {
        connected(e.nowNanos(), out);
      }
    } else if (event instanceof HandshakeRefused e) {
      if (isCurrentHealthy(e.gen()) && phase == Phase.HANDSHAKING) {
        refused(e.cause(), out);
      }
    } else if (event instanceof ConnectFailed e) {
      if (isCurrentHealthy(e.gen()) && connecting()) {
        condemn(e.cause(), out);
      }
    } else if (event instanceof ChannelLost e) {
      onChannelLost(e, out);
    } else if (event instanceof PingUnanswered e) {
      if (isCurrentHealthy(e.gen()) && phase == Phase.CONNECTED) {
        out.add(new Emit(new ConnectionEvent.HeartbeatMissed(name(), generation)));
        condemn(Errors.HEARTBEAT_TIMEOUT.exception(
            "connection '" + name() + "' generation " + generation
                + ": no frame arrived within the heartbeat timeout (half-open connection?)"), out);
      }
    } else if (event instanceof ChannelClosed e) {
      if (e.gen() == generation && channelOpen) {
        channelOpen = false;
        onChannelClosed(e.nowNanos(), out);
      }
    } else if (event instanceof TimerFired e) {
      onTimer(e, out);
    } else if (event instanceof ResetBackoff) {
      backoffRetries = 0;
      retryNow(out);
    } else if (event instanceof ReconnectRequested) {
      replace("reconnect() was called", out);
      retryNow(out);
    } else if (event instanceof CloseRequested e) {
      onCloseRequested(e.cause(), out);
    } else if (event instanceof Drained e) {
      if (phase == Phase.DRAINING && e.gen() == generation && channelOpen) {
        stopDraining(out);
      }
    } else {
      throw new IllegalArgumentException("unknown lifecycle event " + event);
    }
    return out;
  }

  private void onChannelLost(ChannelLost e, List<Action> out) {
    if (isCurrentHealthy(e.gen()) && (connecting() || phase == Phase.CONNECTED)) {
      condemn(e.cause(), out);
    } else if (phase == Phase.DRAINING && e.gen() == generation && channelOpen) {
      stopDraining(out); // no point draining a broken channel
    }
  }

  private void onTimer(TimerFired e, List<Action> out) {
    if (!fired(e.timer(), e.token())) {
      return; // cancelled or replaced: stale
    }
    switch (e.timer()) {
      case RETRY -> {
        if (phase == Phase.BACKOFF) {
          attempt(null, out);
        }
      }
      case CONNECT -> {
        if (connecting() && isCurrentHealthy(generation)) {
          condemn(Errors.CONNECT_TIMEOUT.exception(
              "connection '" + name() + "' generation " + generation + ": no connection to "
                  + route.label() + " within " + Duration.ofNanos(settings.connectTimeoutNanos())
                  + (phase == Phase.HANDSHAKING ? " (the handshake had not finished)" : "")), out);
        }
      }
      case DRAIN -> {
        if (phase == Phase.DRAINING) {
          stopDraining(out);
        }
      }
      case MAX_AGE -> {
        if (phase == Phase.CONNECTED) {
          replace("maxConnectionAge " + Duration.ofNanos(settings.maxAgeNanos()) + " reached", out);
        }
      }
    }
  }

  private boolean connecting() {
    return phase == Phase.CONNECTING || phase == Phase.HANDSHAKING;
  }

  /** Channel {@code gen} is the current one, open, and nothing has condemned it yet. */
  private boolean isCurrentHealthy(long gen) {
    return gen == generation && channelOpen && pendingCause == null;
  }

  /** The current channel must go: remember why, and close it. */
  private void condemn(RedialException cause, List<Action> out) {
    pendingCause = cause;
    out.add(new CloseChannel(generation, cause));
  }

  /** Replaces a healthy CONNECTED channel with a fresh one, without a backoff wait. */
  private void replace(String why, List<Action> out) {
    if (phase == Phase.CONNECTED && isCurrentHealthy(generation)) {
      replacing = true;
      condemn(Errors.CHANNEL_CLOSED.exception(
          "connection '" + name() + "' generation " + generation + ": replaced, " + why), out);
    }
  }

  /** In BACKOFF: stop waiting and attempt now. */
  private void retryNow(List<Action> out) {
    if (phase == Phase.BACKOFF) {
      cancel(Timer.RETRY, out);
      attempt(null, out);
    }
  }

  private void connected(long nowNanos, List<Action> out) {
    connects++;
    failedAttempts = 0;
    connectedAtNanos = nowNanos;
    cancel(Timer.CONNECT, out);
    if (settings.maxAgeNanos() > 0) {
      // up to 10 % early, so that a fleet started together does not reconnect together
      long jitter = (long) (settings.maxAgeNanos() * 0.1 * settings.random().nextDouble());
      schedule(Timer.MAX_AGE, settings.maxAgeNanos() - jitter, out);
    }
    // timers first: whoever the state change wakes sees them armed
    goTo(Phase.CONNECTED, null, out);
    out.add(new FlushQueue(generation));
  }

  private void refused(RedialException cause, List<Action> out) {
    pendingCause = cause;
    closeCause = cause;
    failedAttempts++;
    out.add(new Emit(new ConnectionEvent.AttemptFailed(name(), failedAttempts,
        route.label(), cause, Optional.empty())));
    cancelAll(out);
    goTo(Phase.CLOSING, cause, out);
    out.add(new CloseChannel(generation, cause));
  }

  private void onCloseRequested(RedialException cause, List<Action> out) {
    switch (phase) {
      case DRAINING, CLOSING, CLOSED -> {
        // close() is idempotent
      }
      case IDLE, BACKOFF -> {
        closeCause = cause;
        cancelAll(out);
        goTo(Phase.CLOSING, cause, out);
        finishClose(out);
      }
      case CONNECTING, HANDSHAKING -> {
        closeCause = cause;
        cancelAll(out);
        goTo(Phase.CLOSING, cause, out);
        out.add(new CloseChannel(generation, cause));
      }
      case CONNECTED -> {
        closeCause = cause;
        cancelAll(out);
        schedule(Timer.DRAIN, settings.closeTimeoutNanos(), out);
        goTo(Phase.DRAINING, cause, out);
        out.add(new Drain(generation));
      }
    }
  }

  private void stopDraining(List<Action> out) {
    cancel(Timer.DRAIN, out);
    phase = Phase.CLOSING; // the public state is CLOSING already
    out.add(new CloseChannel(generation, closeCause));
  }

  private void onChannelClosed(long nowNanos, List<Action> out) {
    cancel(Timer.CONNECT, out);
    cancel(Timer.MAX_AGE, out);
    switch (phase) {
      case CONNECTING, HANDSHAKING ->
          attemptFailed(causeOrClosed("closed before it connected"), out);
      case CONNECTED -> {
        if (nowNanos - connectedAtNanos >= settings.stableAfterNanos()) {
          backoffRetries = 0; // it stayed up long enough: the wait starts over
        }
        if (replacing) {
          disconnects++;
          route.newSweep(false); // from the top: back to the preferred endpoint (failback)
          attempt(pendingCause, out);
        } else {
          lost(causeOrClosed("the peer closed the connection"), out);
        }
      }
      case DRAINING, CLOSING -> finishClose(out);
      case IDLE, BACKOFF, CLOSED ->
          throw new IllegalStateException("channel open in phase " + phase);
    }
    pendingCause = null;
    replacing = false;
  }

  private RedialException causeOrClosed(String what) {
    if (pendingCause != null) {
      return pendingCause;
    }
    return Errors.CHANNEL_CLOSED.exception(
        "connection '" + name() + "' generation " + generation + ": " + what);
  }

  private void attemptFailed(RedialException cause, List<Action> out) {
    failedAttempts++;
    String endpoint = route.label();
    int attempt = failedAttempts;
    int maxAttempts = settings.maxAttempts();
    if (maxAttempts > 0 && failedAttempts >= maxAttempts) {
      out.add(new Emit(
          new ConnectionEvent.AttemptFailed(name(), attempt, endpoint, cause, Optional.empty())));
      RedialException spent =
          new RedialException(
              cause.error(),
              "connection '" + name() + "': gave up after " + failedAttempts
                  + " failed attempts (maxAttempts " + maxAttempts + "); last: "
                  + cause.getMessage(),
              cause);
      closeCause = spent;
      cancelAll(out);
      goTo(Phase.CLOSED, spent, out);
      out.add(new Terminate(spent));
      return;
    }
    if (route.advance()) {
      out.add(new Emit(new ConnectionEvent.AttemptFailed(
          name(), attempt, endpoint, cause, Optional.of(Duration.ZERO))));
      attempt(null, out);
      return;
    }
    long delay = nextDelay();
    out.add(new Emit(new ConnectionEvent.AttemptFailed(
        name(), attempt, endpoint, cause, Optional.of(Duration.ofNanos(delay)))));
    schedule(Timer.RETRY, delay, out);
    goTo(Phase.BACKOFF, cause, out);
  }

  private void lost(RedialException cause, List<Action> out) {
    disconnects++;
    route.newSweep(true); // the next sweep starts with the endpoint that just worked
    long delay = nextDelay();
    schedule(Timer.RETRY, delay, out);
    goTo(Phase.BACKOFF, cause, out);
  }

  private long nextDelay() {
    return settings.backoff().delay(backoffRetries++, settings.random()).toNanos();
  }

  /**
   * Starts an attempt on a brand-new channel, entering CONNECTING if not there yet. Timers are
   * armed before the state changes, so that whoever the change wakes sees them.
   */
  private void attempt(RedialException cause, List<Action> out) {
    if (channelOpen) {
      throw new IllegalStateException("attempt started while channel " + generation + " is open");
    }
    schedule(Timer.CONNECT, settings.connectTimeoutNanos(), out);
    goTo(Phase.CONNECTING, cause, out);
    generation++;
    attempts++;
    channelOpen = true;
    pendingCause = null;
    int attempt = failedAttempts + 1;
    out.add(new OpenChannel(generation, route.index(), attempt));
    out.add(new Emit(new ConnectionEvent.AttemptStarted(
        name(), attempt, route.label(), generation)));
  }

  private void finishClose(List<Action> out) {
    cancelAll(out);
    goTo(Phase.CLOSED, closeCause, out);
    out.add(new Terminate(closeCause));
  }

  /**
   * The one place the phase changes: listeners hear of real changes of the public state only;
   * CLOSED is final.
   */
  private void goTo(Phase to, RedialException cause, List<Action> out) {
    if (phase == to) {
      return;
    }
    if (phase == Phase.CLOSED) {
      throw new IllegalStateException("CLOSED is terminal; refused to go to " + to);
    }
    ConnectionState from = phase.state;
    phase = to;
    if (from != to.state) {
      out.add(new Emit(
          new ConnectionEvent.StateChanged(name(), from, to.state, generation, cause)));
    }
  }

  private String name() {
    return settings.name();
  }
}
