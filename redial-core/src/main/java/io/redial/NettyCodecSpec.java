package io.redial;

import io.netty.channel.ChannelPipeline;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/** What {@link Codec#netty} was given; the builder turns it into the driver's codec. */
record NettyCodecSpec<M>(
    Class<M> messageType, Consumer<ChannelPipeline> addHandlers, ToIntFunction<? super M> sizeOf)
    implements Codec<M> {
  @Override
  public String toString() {
    return "Codec.netty(" + messageType.getName() + ")";
  }
}
