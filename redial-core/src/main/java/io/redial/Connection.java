package io.redial;

import java.util.concurrent.CompletableFuture;

/**
 * A managed TCP client connection of {@code byte[]} frames (a {@link MessageConnection} whose
 * codec is a {@link Framing}): it reconnects by itself and is never connected twice — each
 * attempt uses a brand-new channel, opened only after the previous one is closed.
 *
 * <p>All methods are safe from any thread; state lives on the connection's event loop.
 */
public interface Connection extends MessageConnection<byte[]> {
  /**
   * Connects, idempotently. While CONNECTING (or BACKOFF) every call returns the same future;
   * while CONNECTED a completed one. It completes when CONNECTED and fails only if CLOSED comes
   * first ({@link #close()}, or {@code maxAttempts} spent), with a {@link RedialException} giving
   * the cause. Do not complete or cancel the returned future yourself.
   */
  @Override
  CompletableFuture<Connection> connect();

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
  @Override
  CompletableFuture<Void> send(byte[] frame);
}
