package io.redial;

import io.netty.channel.EventLoop;
import io.redial.internal.MessageCodec;
import io.redial.internal.Scheduler;
import io.redial.internal.Ticker;
import io.redial.internal.TypedConnection;
import java.util.function.Function;

/**
 * Configures a {@link MessageConnection} of typed messages through a {@link Codec}: every setter of
 * {@link ConnectionBuilder} except {@code framing}, plus {@link #handshake}, {@link #correlation},
 * {@link #queueTimeout}, {@link #queueFullWait} and {@link #maxConnectionAge}, which both have.
 *
 * <pre>{@code
 * MessageConnection<RedisMessage> redis = Redial.connection("cache", codec)
 *     .endpoint("127.0.0.1", 6379)
 *     .correlation(Correlation.fifo())
 *     .handshake(session -> session.request(auth, Duration.ofSeconds(2)))
 *     .build();
 * }</pre>
 *
 * @param <M> the message type
 */
public final class MessageConnectionBuilder<M>
    extends BuilderBase<M, MessageConnectionBuilder<M>> {
  private final MessageCodec<M> codec;

  MessageConnectionBuilder(String name, Codec<M> codec) {
    super(name);
    this.codec = toDriver(codec);
  }

  @SuppressWarnings("unchecked")
  private static <M> MessageCodec<M> toDriver(Codec<M> codec) {
    if (codec instanceof Framing framing) {
      return (MessageCodec<M>) MessageCodec.of(framing);
    }
    if (codec instanceof NettyCodecSpec<M> spec) {
      return MessageCodec.netty(spec.messageType(), spec.addHandlers(), spec.sizeOf());
    }
    throw new IllegalArgumentException("codec must be a Framing or made by Codec.netty, but was "
        + codec);
  }

  /**
   * Checks the configuration as a whole and creates the connection, in state IDLE.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public MessageConnection<M> build() {
    return build(Scheduler.LOOP, Ticker.system());
  }

  MessageConnection<M> build(Function<EventLoop, Scheduler> schedulers, Ticker ticker) {
    return watch(new TypedConnection<>(config(), schedulers, ticker));
  }

  @Override
  MessageCodec<M> codec() {
    return codec;
  }
}
