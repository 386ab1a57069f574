package io.redial.internal;

import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import io.redial.RedialException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What other threads see of a connection: its state and generation, the future {@code connect()}
 * hands out, the threads in {@code awaitState}, and the close future. Written on the event loop
 * at every transition; read anywhere without locks.
 *
 * @param <S> the connection's public type, which connect futures complete with
 */
final class StateCell<S> {
  private static final VarHandle CONNECT_FUTURE;
  private static final VarHandle WAITERS;
  private static final VarHandle CLOSE_FUTURE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CONNECT_FUTURE = lookup.findVarHandle(StateCell.class, "connectFuture",
          CompletableFuture.class);
      WAITERS = lookup.findVarHandle(StateCell.class, "waiters", ConcurrentLinkedQueue.class);
      CLOSE_FUTURE = lookup.findVarHandle(StateCell.class, "closeFuture", CompletableFuture.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final S self;
  /** Mirror of the lifecycle's state, written on the loop at every transition. */
  private volatile ConnectionState state = ConnectionState.IDLE;
  /** Mirror of the lifecycle's generation. */
  private volatile long generation;
  /**
   * The future {@code connect()} hands out: null when none is pending (IDLE, or after leaving
   * CONNECTED until the next call), pending while connecting, completed while CONNECTED, failed
   * from CLOSING on. Installed only by compare-and-set, so concurrent callers share one future.
   */
  private volatile CompletableFuture<S> connectFuture;
  /** Completes (normally) when CLOSED; made by the first {@link #closeFuture()} call. */
  private volatile CompletableFuture<Void> closeFuture;
  /** Threads in {@link #await}; null until the first one waits (most connections never). */
  private volatile ConcurrentLinkedQueue<Waiter> waiters;

  StateCell(S self) {
    this.self = self;
  }

  /** The future that completes when CLOSED; one for the connection's life, made on demand. */
  CompletableFuture<Void> closeFuture() {
    CompletableFuture<Void> f = closeFuture;
    if (f == null) {
      CLOSE_FUTURE.compareAndSet(this, null, new CompletableFuture<Void>());
      f = closeFuture;
    }
    return f;
  }

  S self() {
    return self;
  }

  ConnectionState state() {
    return state;
  }

  long generation() {
    return generation;
  }

  void generation(long gen) {
    generation = gen;
  }

  boolean closingOrClosed() {
    ConnectionState s = state;
    return s == ConnectionState.CLOSING || s == ConnectionState.CLOSED;
  }

  /**
   * The future for {@code connect()}: the pending one, or a fresh one installed for this caller
   * (then {@code onInstalled} asks the loop to connect).
   */
  CompletableFuture<S> connectFuture(java.util.function.Consumer<CompletableFuture<S>> onInstalled) {
    for (int spins = 0; ; spins++) {
      CompletableFuture<S> f = connectFuture;
      if (f != null) {
        // A caller may have failed the shared future (orTimeout); hand out a fresh one then.
        if (!f.isCompletedExceptionally() || closingOrClosed()) {
          return f;
        }
        CONNECT_FUTURE.compareAndSet(this, f, null);
        continue;
      }
      CompletableFuture<S> fresh = new CompletableFuture<>();
      if (CONNECT_FUTURE.compareAndSet(this, null, fresh)) {
        onInstalled.accept(fresh);
        return fresh;
      }
      if (spins > 1_000_000) { // cannot happen: each failed CAS means another thread progressed
        throw new IllegalStateException("connect(): no progress");
      }
    }
  }

  /** The state changed (event loop): publish it before the listeners hear of it. */
  void publish(ConnectionState to) {
    state = to;
  }

  /** The state changed (event loop), after the listeners heard: settle futures and waiters. */
  void settle(ConnectionEvent.StateChanged sc, RedialException closeCause) {
    switch (sc.to()) {
      case CONNECTED -> {
        CompletableFuture<S> f = connectFuture;
        if (f == null || f.isCompletedExceptionally()) {
          CONNECT_FUTURE.compareAndSet(this, f, CompletableFuture.completedFuture(self));
          f = connectFuture;
        }
        f.complete(self);
      }
      case BACKOFF, CONNECTING -> {
        if (sc.from() == ConnectionState.CONNECTED) {
          connectFuture = null; // the next connect() waits for the next CONNECTED
        }
      }
      case CLOSING, CLOSED -> {
        RedialException cause = sc.cause() != null ? sc.cause() : closeCause;
        CompletableFuture<S> failed = new CompletableFuture<>();
        failed.completeExceptionally(cause);
        @SuppressWarnings("unchecked")
        CompletableFuture<S> old = (CompletableFuture<S>) CONNECT_FUTURE.getAndSet(this, failed);
        if (old != null && !old.isDone()) {
          old.completeExceptionally(cause);
        }
      }
      default -> {}
    }
    ConcurrentLinkedQueue<Waiter> queue = waiters;
    if (queue != null) {
      for (Waiter w : queue) {
        if (w.state == sc.to()) {
          w.latch.countDown();
        }
      }
    }
  }

  /** Waits until the state is {@code target}; false when the timeout elapsed first. */
  boolean await(ConnectionState target, Duration timeout) throws InterruptedException {
    if (state == target) {
      return true;
    }
    Waiter w = new Waiter(target);
    ConcurrentLinkedQueue<Waiter> queue = waiters;
    if (queue == null) {
      WAITERS.compareAndSet(this, null, new ConcurrentLinkedQueue<Waiter>());
      queue = waiters;
    }
    queue.add(w);
    try {
      if (state == target) {
        return true;
      }
      return w.latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      queue.remove(w);
    }
  }

  private static final class Waiter {
    final ConnectionState state;
    final CountDownLatch latch = new CountDownLatch(1);

    Waiter(ConnectionState state) {
      this.state = state;
    }
  }
}
