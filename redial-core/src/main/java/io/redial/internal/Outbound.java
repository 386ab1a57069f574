package io.redial.internal;

import java.util.concurrent.CompletableFuture;

/**
 * One message on its way out: in the offline queue, then handed to a channel ("in flight") until
 * its write completes, then — for a request — in the {@link RequestTable} until its reply.
 * Touched on the event loop only, except the future, which completes there and is read anywhere.
 */
final class Outbound<M> {
  final M message;
  /** Completes with null for a send, with the reply for a request. */
  final CompletableFuture<Object> future = new CompletableFuture<>();
  /** The message's size for the queue's byte bound. */
  final int size;
  /** When it was handed to the connection (the connection's clock): queueTimeout counts from it. */
  final long createdNanos;
  /** True when a reply is expected (it goes into the request table when written). */
  final boolean request;
  /** The request's key under Correlation.byKey; null otherwise. */
  final Object key;
  /** A heartbeat ping: its reply is consumed, its failure is nobody's business. */
  final boolean internal;

  /** Written with writeNow to one channel (a handshake's, a ping): never replayed elsewhere. */
  boolean bound;
  /** Generation of the channel it was written to; 0 while queued, -1 once written. */
  long writeGen;
  /** The deadline timer of a request; null when none or done. */
  Scheduler.Cancellable deadline;
  /** A request's timeout, armed when it reaches the event loop; null for a send. */
  java.time.Duration timeout;
  /** The next (older) message handed over to the event loop by another thread. */
  Outbound<M> next;

  Outbound(M message, int size, long createdNanos, boolean request, Object key, boolean internal) {
    this.message = message;
    this.size = size;
    this.createdNanos = createdNanos;
    this.request = request;
    this.key = key;
    this.internal = internal;
  }

  /** True once the connection gave up its reference to {@link #message}. */
  private boolean released;

  /** Gives up the connection's reference to the message, once whatever the paths taken. */
  void release(MessageCodec<M> codec) {
    if (!released) {
      released = true;
      codec.release(message);
    }
  }

  boolean done() {
    return future.isDone();
  }

  @Override
  public String toString() {
    return (request ? "request" : "message") + "(" + size + ")";
  }
}
