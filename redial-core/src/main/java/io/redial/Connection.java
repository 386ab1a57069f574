package io.redial;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A managed TCP client connection that reconnects by itself and is never connected twice: each
 * attempt uses a brand-new channel, opened only after the previous one is closed.
 *
 * <p>All methods are safe from any thread; state lives on the connection's event loop.
 */
public interface Connection extends AutoCloseable {
  /** The name given to {@link Redial#connection(String)}. */
  String name();

  /** The state now (a snapshot; it may change at once). */
  ConnectionState state();

  /** How many channels this connection has opened so far. */
  long generation();

  /**
   * Connects, idempotently. While CONNECTING (or BACKOFF) every call returns the same future;
   * while CONNECTED a completed one. It completes when CONNECTED and fails only if CLOSED comes
   * first ({@link #close()}, or {@code maxAttempts} spent), with a {@link RedialException} giving
   * the cause. Do not complete or cancel the returned future yourself.
   */
  java.util.concurrent.CompletableFuture<Connection> connect();

  /**
   * Sends one frame. Completes once the frame's bytes were written to a live socket; fails with a
   * {@link RedialException} saying why otherwise (queue full, closed, …). While disconnected the
   * frame waits in the offline queue; frames go out in the order of {@code send} calls. The
   * array is not copied: do not modify it until the future completes.
   *
   * <p>A completed future means the bytes reached the kernel of a live socket, not the peer: if
   * that socket dies, bytes still in its buffers are lost and TCP cannot say which. A protocol
   * that needs delivery acknowledges frames and re-sends unacknowledged ones after a reconnect.
   *
   * @throws IllegalArgumentException when {@code frame} is null or over the framing's maximum
   */
  CompletableFuture<Void> send(byte[] frame);

  /** Waits until the connection is in {@code state}; false when the timeout elapsed first. */
  boolean awaitState(ConnectionState state, Duration timeout) throws InterruptedException;

  /** Retries at once if waiting in BACKOFF, and starts the next backoff from its initial delay. */
  void resetBackoff();

  /** A consistent snapshot of the counters. */
  ConnectionStats stats();

  /**
   * Closes gracefully: stops accepting sends, flushes what is queued to a live connection within
   * the close timeout, then closes the channel. Frames that could not go out fail with a clear
   * reason. Idempotent.
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
