package io.redial;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Handshake}'s view of one channel. Its messages bypass the offline queue and are
 * written at once; they go to this channel only, and fail when it is gone.
 *
 * @param <M> the message type
 */
public interface Session<M> {
  /** The generation of the channel this session is bound to. */
  long generation();

  /** Writes a message on this channel; completes once it was written. */
  CompletableFuture<Void> send(M message);

  /**
   * Writes a request on this channel and completes with its reply (the connection's
   * {@link Correlation} finds it); fails with {@code REQUEST_TIMEOUT} after {@code timeout}.
   */
  CompletableFuture<M> request(M message, Duration timeout);
}
