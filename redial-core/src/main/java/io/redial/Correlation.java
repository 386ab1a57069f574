package io.redial;

import static io.redial.internal.Checks.notNull;

import java.util.function.Function;

/**
 * How replies find their requests on a {@link MessageConnection}.
 *
 * <ul>
 *   <li>{@link #fifo()}: the peer answers requests in the order they were sent (Redis, memcached,
 *       SMTP, HTTP/1.1 pipelining). Every inbound message answers the oldest request still waiting;
 *       a request that timed out keeps its slot, so its late reply is consumed there and never
 *       handed to a later request. With no request waiting, a message goes to {@code onMessage}.
 *   <li>{@link #byKey}: the peer tags replies with the request's key (a stream or message id).
 *       A message whose reply key is null, or matches no waiting request, goes to
 *       {@code onMessage}.
 * </ul>
 *
 * @param <M> the message type
 */
public final class Correlation<M> {
  private final Function<? super M, ?> requestKey; // null for fifo
  private final Function<? super M, ?> replyKey; // null for fifo

  private static final Correlation<?> FIFO = new Correlation<>(null, null);

  private Correlation(Function<? super M, ?> requestKey, Function<? super M, ?> replyKey) {
    this.requestKey = requestKey;
    this.replyKey = replyKey;
  }

  /** Replies come in request order. */
  @SuppressWarnings("unchecked")
  public static <M> Correlation<M> fifo() {
    return (Correlation<M>) FIFO;
  }

  /**
   * Replies carry their request's key.
   *
   * @param requestKey the key of a request (non-null for a request)
   * @param replyKey the key of an inbound message; null when it answers no request
   */
  public static <M, K> Correlation<M> byKey(
      Function<? super M, ? extends K> requestKey, Function<? super M, ? extends K> replyKey) {
    return new Correlation<>(notNull("requestKey", requestKey), notNull("replyKey", replyKey));
  }

  boolean isFifo() {
    return requestKey == null;
  }

  Function<? super M, ?> requestKey() {
    return requestKey;
  }

  Function<? super M, ?> replyKey() {
    return replyKey;
  }

  @Override
  public String toString() {
    return isFifo() ? "Correlation.fifo()" : "Correlation.byKey(...)";
  }
}
