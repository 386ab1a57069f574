package io.redial.bench.internal;

import java.util.concurrent.CompletableFuture;

/**
 * What the peers' hand-written reconnecting clients share: the first connect, and a close that
 * first stops the reconnecting (so that nothing connects again) and then ends the connection.
 */
abstract class Reconnecting implements BenchClient {
  /** Completes at the first connection. */
  protected final CompletableFuture<Void> first = new CompletableFuture<>();
  /** Set by {@link #close()}: no more connects. */
  protected volatile boolean closed;

  @Override
  public final CompletableFuture<Void> firstConnect() {
    return first;
  }

  @Override
  public final void close() {
    closed = true;
    stop();
  }

  /** Cancels a pending retry and closes the connection, waiting a bounded time. */
  protected abstract void stop();
}
