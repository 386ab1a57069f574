package io.redial.internal;

import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;

/**
 * What arrives at the end of a channel's pipeline: the codec's message, matched to the request
 * it answers (a late or internal reply is consumed and released), or handed to
 * {@code onMessage} and released after it. A throwing callback is logged and the connection goes
 * on. Event loop only.
 */
final class Inbox<M> {
  private final MessageCodec<M> codec;
  /** Null without a correlation. */
  private final RequestTable<M> requests;
  private final Counters counters;
  private final EventLog log;
  private final Consumer<? super M> onMessage;

  Inbox(ConnectionConfig<M> config, RequestTable<M> requests, Counters counters, EventLog log) {
    this.codec = config.codec();
    this.requests = requests;
    this.counters = counters;
    this.log = log;
    this.onMessage = config.onMessage();
  }

  /**
   * Takes one message of channel {@code gen} (and ownership of it). Returns true when it
   * answered or settled a request.
   */
  boolean accept(long gen, Object msg) {
    M message;
    try {
      message = codec.inbound(msg);
    } catch (RuntimeException e) {
      ReferenceCountUtil.release(msg);
      log.callbackFailed(gen, "the codec (a message of another type than "
          + codec.type().getName() + " reached the pipeline's tail)", e);
      return false;
    }
    if (message != msg) {
      ReferenceCountUtil.release(msg); // the codec copied it (a frame's bytes)
    }
    counters.begin();
    counters.messagesReceived++;
    counters.bytesReceived += sizeOf(gen, message);
    counters.end();
    if (requests != null && requests.size() > 0) {
      RequestTable.Outcome outcome;
      try {
        outcome = requests.match(message);
      } catch (RuntimeException e) {
        log.callbackFailed(gen, "the correlation's replyKey", e);
        codec.release(message);
        return false;
      }
      if (outcome != RequestTable.Outcome.NONE) {
        Outbound<M> r = requests.matched();
        Outbox.cancelDeadline(r);
        if (outcome == RequestTable.Outcome.CONSUMED || !r.future.complete(message)) {
          codec.release(message); // a late reply, a ping's: nobody else will
        }
        return true;
      }
    }
    try {
      onMessage.accept(message);
    } catch (RuntimeException e) {
      log.callbackFailed(gen, "onMessage", e);
    } finally {
      codec.release(message);
    }
    return false;
  }

  private int sizeOf(long gen, M message) {
    try {
      return codec.sizeOf(message);
    } catch (RuntimeException e) {
      log.callbackFailed(gen, "the codec's sizeOf", e);
      return 0;
    }
  }
}
