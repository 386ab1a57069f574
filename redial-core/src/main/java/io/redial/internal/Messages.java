package io.redial.internal;

import io.redial.RedialException;
import java.time.Duration;

/**
 * Turns what the application hands a connection into {@link Outbound} messages: checks them
 * (null, the codec's refusal, a request's timeout and key), and runs request deadlines on the
 * connection's clock. Checks run on the caller's thread, so bad input fails at the call.
 */
final class Messages<M> {
  /** The longest request deadline accepted: longer is a unit mistake, not a deadline. */
  static final Duration MAX_REQUEST_TIMEOUT = Duration.ofDays(1);

  private final ConnectionConfig<M> config;
  private final MessageCodec<M> codec;
  private final Ticker ticker;
  private final Outbox<M> outbox;
  /** Null without a correlation. */
  private final RequestTable<M> requests;

  Messages(ConnectionConfig<M> config, Ticker ticker, Outbox<M> outbox,
      RequestTable<M> requests) {
    this.config = config;
    this.codec = config.codec();
    this.ticker = ticker;
    this.outbox = outbox;
    this.requests = requests;
  }

  /** The connection's name. */
  String name() {
    return config.name();
  }

  /** A message for {@code send()}. */
  Outbound<M> message(M message) {
    return outbound(message, false, null);
  }

  /** A request for {@code request()}; arm its deadline on the loop with {@link #armDeadline}. */
  Outbound<M> request(M message, Duration timeout) {
    checkTimeout(timeout);
    return outbound(message, true, requestKey(message));
  }

  private void checkTimeout(Duration timeout) {
    if (requests == null) {
      throw new IllegalStateException("request() needs a correlation: connection '"
          + config.name() + "' has none; set correlation(Correlation.fifo()) or"
          + " correlation(Correlation.byKey(...)) on its builder, or use send()");
    }
    Checks.positive("timeout", timeout);
    if (timeout.compareTo(MAX_REQUEST_TIMEOUT) > 0) {
      throw new IllegalArgumentException("timeout must be a positive duration of at most "
          + MAX_REQUEST_TIMEOUT + ", but was " + timeout);
    }
  }

  private Object requestKey(M message) {
    if (config.requestKey() == null || message == null) {
      return null;
    }
    Object key;
    try {
      key = config.requestKey().apply(message);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the correlation's requestKey threw on " + message
          + " for connection '" + config.name() + "': " + e, e);
    }
    if (key == null) {
      throw new IllegalArgumentException("the correlation's requestKey must return a key for a"
          + " request, but returned null for " + message + " on connection '" + config.name()
          + "'");
    }
    return key;
  }

  private Outbound<M> outbound(M message, boolean request, Object key) {
    if (message == null) {
      throw new IllegalArgumentException(codec.noun() + " must not be null");
    }
    String refusal = codec.refusal(message);
    if (refusal != null) {
      throw new IllegalArgumentException(refusal);
    }
    return new Outbound<>(message, codec.sizeOf(message), ticker.nanoTime(), request, key, false);
  }

  /**
   * A heartbeat ping for channel {@code gen}: a fresh message from the heartbeat's supplier; a
   * request (its reply consumed in its own slot) when the connection correlates. Null when the
   * supplier made something of another type (logged).
   */
  Outbound<M> ping(long gen, EventLog log) {
    Object made = config.ping().get();
    if (!codec.type().isInstance(made)) {
      io.netty.util.ReferenceCountUtil.release(made);
      log.callbackFailed(gen, "the heartbeat's ping supplier (it must make a "
          + codec.type().getName() + ", but made " + made + ")", new ClassCastException());
      return null;
    }
    M ping = codec.type().cast(made);
    Object key = null;
    boolean request = requests != null;
    if (request && config.requestKey() != null) {
      try {
        key = config.requestKey().apply(ping);
      } catch (RuntimeException e) {
        key = null; // not a request then: its reply goes to onMessage
      }
      request = key != null;
    }
    return new Outbound<>(ping, codec.sizeOf(ping), ticker.nanoTime(), request, key, true);
  }

  /** Starts a request's deadline, counted from its creation (event loop). */
  void armDeadline(Outbound<M> m, Duration timeout) {
    outbox.deadlines(this::expire).add(m, timeout);
  }

  /** The deadline passed: fail the request; a late reply is consumed, never handed on. */
  private void expire(Outbound<M> m, Duration timeout) {
    if (m.done()) {
      return;
    }
    String where = m.writeGen == 0 ? "it never left the offline queue"
        : m.writeGen > 0 ? "it was handed to generation " + m.writeGen
        : "it was written, its reply never came";
    RedialException timedOut = Errors.REQUEST_TIMEOUT.exception(
        "connection '" + config.name() + "': request of " + m.size + " bytes got no reply within "
            + timeout + " (" + where + ")");
    // the books first, then the future: whoever it wakes sees the request gone from the queue
    if (m.writeGen == 0) {
      outbox.dropQueued(m); // out of the queue and released (a space waiter: released later)
    } else if (requests != null) {
      requests.expired(m);
    }
    FlightEvents.requestTimedOut(config.name(), timeout, m.size, m.writeGen);
    m.future.completeExceptionally(timedOut);
  }
}
