package io.redial;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A managed TCP client connection carrying messages of type {@code M} through a {@link Codec}:
 * it reconnects by itself and is never connected twice — each attempt uses a brand-new channel
 * and a brand-new pipeline, opened only after the previous channel is closed.
 *
 * <p>All methods are safe from any thread; state lives on the connection's event loop.
 *
 * <p>Reference-counted messages ({@code ByteBuf}, Netty's Redis or MQTT messages): a message
 * given to {@link #send} or {@link #request} belongs to the connection from the call on, and is
 * released exactly once whatever happens to it (written, failed, timed out, dropped). A reply
 * that completes a {@link #request} future belongs to the caller, who releases it; a message
 * handed to {@code onMessage} is released by the connection after the handler returns
 * ({@code retain()} it to keep it).
 *
 * @param <M> the message type
 */
public interface MessageConnection<M> extends AutoCloseable {
  /** The name given to {@link Redial#connection}. */
  String name();

  /** The state now (a snapshot; it may change at once). */
  ConnectionState state();

  /** How many channels this connection has opened so far. */
  long generation();

  /**
   * Connects, idempotently. While CONNECTING (or BACKOFF) every call returns the same future;
   * while CONNECTED a completed one. It completes when CONNECTED (after the handshake, if any) and
   * fails only if CLOSED comes first ({@link #close()}, {@code maxAttempts} spent, or a handshake
   * rejected), with a {@link RedialException} giving the cause. Do not complete or cancel the
   * returned future yourself.
   */
  CompletableFuture<? extends MessageConnection<M>> connect();

  /**
   * Sends one message. Completes once it was written to a live socket; fails with a
   * {@link RedialException} saying why otherwise (queue full, queue timeout, closed, codec
   * failure, …). While disconnected the message waits in the offline queue; messages go out in
   * the order of the calls, and only after the channel's handshake.
   *
   * @throws IllegalArgumentException when {@code message} is null or refused by the codec
   */
  CompletableFuture<Void> send(M message);

  /**
   * Sends a request and completes with its reply, found by the connection's {@link Correlation}.
   * The deadline counts from this call, time in the offline queue included; when it passes the
   * future fails with {@code REQUEST_TIMEOUT} (a late reply is consumed, never handed to another
   * request). A request written to a channel that died before its reply fails with
   * {@code CONNECTION_LOST} — it may or may not have been applied — and is never re-sent silently;
   * a request not yet written when its channel died goes out on the next channel, in order, after
   * that channel's handshake.
   *
   * @param timeout the deadline, from now (positive, at most a day)
   * @throws IllegalStateException when the connection has no correlation
   * @throws IllegalArgumentException when {@code message} is null or {@code timeout} out of range
   */
  CompletableFuture<M> request(M message, Duration timeout);

  /** Waits until the connection is in {@code state}; false when the timeout elapsed first. */
  boolean awaitState(ConnectionState state, Duration timeout) throws InterruptedException;

  /** Retries at once if waiting in BACKOFF, and starts the next backoff from its initial delay. */
  void resetBackoff();

  /**
   * Replaces the live channel: closes it, then opens a fresh one (never two at once), without a
   * backoff wait. Requests written to the old channel and not yet answered fail with
   * {@code CONNECTION_LOST}. In BACKOFF it retries at once; otherwise it does nothing.
   */
  void reconnect();

  /**
   * Adds a listener to a connection already built, for tools that watch it from outside (a
   * metrics binder, a JMX handle). It hears the events from when it is added on (a listener given
   * to the builder hears them all), on the event loop: do not block. Events happen per attempt and
   * per state change, never per message. There is no removal: a listener lives as long as the
   * connection.
   *
   * @throws UnsupportedOperationException when the implementation has no listeners (Redial's own
   *     connections all have)
   */
  default void addListener(ConnectionListener listener) {
    throw new UnsupportedOperationException(
        getClass().getName() + " does not take listeners after it was built");
  }

  /** A consistent snapshot of the counters; never blocks. */
  ConnectionStats stats();

  /**
   * Closes gracefully: stops accepting messages, flushes what is queued to a live connection
   * within the close timeout, then closes the channel. Messages that could not go out fail with a
   * clear reason. Idempotent.
   */
  CompletableFuture<Void> closeAsync();

  /**
   * {@code closeAsync().join()}; never throws, and a second call does nothing. Called on the
   * connection's own event loop (from a listener or {@code onMessage}) it starts the close and
   * returns without waiting, since waiting there could never end.
   */
  @Override
  void close();
}
