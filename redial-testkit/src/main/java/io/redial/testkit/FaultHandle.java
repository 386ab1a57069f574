package io.redial.testkit;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * A fault installed in a {@link FaultProxy}. {@link #close()} removes it; closing twice does nothing.
 * Use it with try-with-resources so a failing test cannot leave the fault behind.
 */
public final class FaultHandle implements AutoCloseable {
  private final long id;
  private final Fault fault;
  private final LongConsumer remover;
  /** Set once by the first close(); any thread. */
  private final AtomicBoolean closed = new AtomicBoolean();

  FaultHandle(long id, Fault fault, LongConsumer remover) {
    this.id = id;
    this.fault = Objects.requireNonNull(fault, "fault");
    this.remover = Objects.requireNonNull(remover, "remover");
  }

  /** The proxy-assigned id, increasing from 1; the control API of {@code redial proxy} uses it. */
  public long id() {
    return id;
  }

  /** What this handle installed. */
  public Fault fault() {
    return fault;
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return closed.get();
  }

  /** Removes the fault from the proxy (and, for {@code refuseNew}, listens again on the same port). */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      remover.accept(id);
    }
  }

  @Override
  public String toString() {
    return id + ":" + fault;
  }
}
