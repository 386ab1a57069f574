package io.redial.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Requests written to the live channel and waiting for their replies, and the rule that matches a
 * reply to its request. Event loop only.
 *
 * <p>A request enters when it is handed to the channel (so the table's order is the wire's
 * order), leaves when its reply arrives, and is failed by the driver when its channel dies. Under
 * {@code fifo}, a request that timed out keeps its slot: its late reply is consumed there and never
 * handed to the next request. A request whose bytes never left (requeued after its channel died
 * mid-write, or refused by the encoder) is taken out again with {@link #unregister}.
 */
final class RequestTable<M> {
  /** What {@link #match} found. */
  enum Outcome { ANSWERS, CONSUMED, NONE }

  private final Function<? super M, ?> replyKey; // null: fifo
  private final ArrayDeque<Outbound<M>> order; // fifo only: write order
  private final Map<Object, Outbound<M>> byKey; // byKey only
  /** The request {@link #match} found; valid right after it returned ANSWERS or CONSUMED. */
  private Outbound<M> matched;

  RequestTable(Function<? super M, ?> replyKey) {
    this.replyKey = replyKey;
    this.order = replyKey == null ? new ArrayDeque<>() : null;
    this.byKey = replyKey == null ? null : new HashMap<>();
  }

  boolean fifo() {
    return replyKey == null;
  }

  int size() {
    return fifo() ? order.size() : byKey.size();
  }

  /**
   * Adds a request being written. Returns false, leaving the table as it was, when another request
   * with the same key is waiting.
   */
  boolean register(Outbound<M> request) {
    if (fifo()) {
      order.addLast(request);
      return true;
    }
    return byKey.putIfAbsent(request.key, request) == null;
  }

  /** Takes out a request whose bytes never reached the wire. */
  void unregister(Outbound<M> request) {
    if (fifo()) {
      order.removeLastOccurrence(request); // it is among the newest: search from the tail
    } else {
      byKey.remove(request.key, request);
    }
  }

  /**
   * Finds the request {@code message} answers and takes it out: ANSWERS when a waiting request
   * gets it, CONSUMED when it is the late reply of a request that is done already (timed out, or
   * an internal ping), NONE when it answers nothing (it goes to onMessage).
   *
   * @throws RuntimeException what the reply-key function threw
   */
  Outcome match(M message) {
    matched = null;
    Outbound<M> found;
    if (fifo()) {
      found = order.pollFirst();
    } else {
      Object key = replyKey.apply(message);
      found = key == null ? null : byKey.remove(key);
    }
    if (found == null) {
      return Outcome.NONE;
    }
    matched = found;
    return found.done() || found.internal ? Outcome.CONSUMED : Outcome.ANSWERS;
  }

  /** The request the last {@link #match} took out. */
  Outbound<M> matched() {
    return matched;
  }

  /**
   * A request's deadline passed (its future is failed already). Under byKey it leaves the table (a
   * late reply then answers nothing); under fifo it keeps its slot for the late reply.
   */
  void expired(Outbound<M> request) {
    if (!fifo()) {
      byKey.remove(request.key, request);
    }
  }

  /** The channel died: empties the table and returns the requests still waiting for a reply. */
  List<Outbound<M>> drain() {
    List<Outbound<M>> waiting = new ArrayList<>(size());
    Iterable<Outbound<M>> all = fifo() ? order : byKey.values();
    for (Outbound<M> r : all) {
      if (!r.done()) {
        waiting.add(r);
      }
    }
    if (fifo()) {
      order.clear();
    } else {
      byKey.clear();
    }
    return waiting;
  }
}
