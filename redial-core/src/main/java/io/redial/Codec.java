package io.redial;

import static io.redial.internal.Checks.notNull;

import io.netty.channel.ChannelPipeline;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * How messages of type {@code M} are turned into bytes and back: {@link Framing} for
 * {@code byte[]} frames, or your own Netty handlers for typed messages.
 *
 * <pre>{@code
 * Codec<RedisMessage> redis = Codec.netty(RedisMessage.class, p -> p.addLast(
 *     new RedisDecoder(), new RedisBulkStringAggregator(), new RedisArrayAggregator(),
 *     new RedisEncoder()));
 * }</pre>
 *
 * <p>The handlers are added to every brand-new channel's pipeline, once per attempt, so a handler
 * that is not {@code @Sharable} is a fresh instance on each channel (reusing one across channels
 * is a classic bug of hand-rolled reconnects). The pipeline's last handler must pass on messages
 * of type {@code M}; messages you send are written at the pipeline's tail and must be encodable by
 * your handlers.
 *
 * @param <M> the message type
 */
public sealed interface Codec<M> permits Framing, NettyCodecSpec {
  /** The message type. */
  Class<M> messageType();

  /**
   * A codec of your own Netty handlers; the offline queue's byte bound counts each message as 1.
   *
   * @param type the type of the messages sent and received
   * @param addHandlers adds the codec's handlers to a brand-new pipeline (called once per channel)
   */
  static <M> Codec<M> netty(Class<M> type, Consumer<ChannelPipeline> addHandlers) {
    return netty(type, addHandlers, m -> 1);
  }

  /**
   * A codec of your own Netty handlers.
   *
   * @param sizeOf a message's size for the offline queue's byte bound (non-negative)
   */
  static <M> Codec<M> netty(
      Class<M> type, Consumer<ChannelPipeline> addHandlers, ToIntFunction<? super M> sizeOf) {
    return new NettyCodecSpec<>(
        notNull("type", type), notNull("addHandlers", addHandlers), notNull("sizeOf", sizeOf));
  }
}
