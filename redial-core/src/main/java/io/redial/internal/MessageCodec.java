package io.redial.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import io.redial.Framing;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * The driver's view of a {@code Codec}: what goes into each brand-new pipeline, what is written
 * for a message, what a message arriving at the pipeline's tail is, and its size for the queue.
 *
 * <p>Ownership of reference-counted messages: {@link #outbound} returns what the channel may
 * consume (Netty releases what it writes), while the caller keeps its own reference until the
 * message's fate is known, so that a message can be written again on the next channel.
 */
public interface MessageCodec<M> {
  /** The message type. */
  Class<M> type();

  /** Adds the codec's handlers; returns the frame decoder when it can report its high water. */
  FrameCodec.BoundedDecoder addHandlers(ChannelPipeline pipeline);

  /** What to write for {@code message}: a new buffer, or the message with one more reference. */
  Object outbound(ByteBufAllocator alloc, M message);

  /**
   * The message for what arrived at the pipeline's tail; the caller releases {@code msg} when the
   * result is not {@code msg} itself. Throws {@link ClassCastException} for a foreign type.
   */
  M inbound(Object msg);

  /** The message's size for the offline queue's byte bound. */
  int sizeOf(M message);

  /** Why {@code message} cannot be sent, or null when it can; checked at the call. */
  String refusal(M message);

  /** What a message is called in error messages: "frame" for byte[] frames, else "message". */
  default String noun() {
    return "message";
  }

  /** Releases the caller's reference to {@code message}, if it is reference-counted. */
  default void release(M message) {
    ReferenceCountUtil.release(message);
  }

  /** A framing's codec: {@code byte[]} frames. */
  static MessageCodec<byte[]> of(Framing framing) {
    return framing == Framing.lengthPrefixed() ? Frames.DEFAULT : new Frames(framing);
  }

  /** A codec of the user's handlers. */
  static <M> MessageCodec<M> netty(
      Class<M> type, Consumer<ChannelPipeline> addHandlers, ToIntFunction<? super M> sizeOf) {
    return new Handlers<>(type, addHandlers, sizeOf);
  }

  /** {@code byte[]} frames cut by a {@link Framing}. */
  final class Frames implements MessageCodec<byte[]> {
    static final Frames DEFAULT = new Frames(Framing.lengthPrefixed()); // shared: immutable

    private final Framing framing;

    Frames(Framing framing) {
      this.framing = framing;
    }

    public Framing framing() {
      return framing;
    }

    @Override
    public Class<byte[]> type() {
      return byte[].class;
    }

    @Override
    public FrameCodec.BoundedDecoder addHandlers(ChannelPipeline pipeline) {
      FrameCodec.BoundedDecoder decoder = FrameCodec.newDecoder(framing);
      if (decoder != null) {
        pipeline.addLast("frames", decoder);
      }
      return decoder;
    }

    @Override
    public Object outbound(ByteBufAllocator alloc, byte[] frame) {
      return FrameCodec.encode(alloc, framing, frame);
    }

    @Override
    public byte[] inbound(Object msg) {
      return ByteBufUtil.getBytes((ByteBuf) msg);
    }

    @Override
    public int sizeOf(byte[] frame) {
      return frame.length;
    }

    @Override
    public String refusal(byte[] frame) {
      return FrameCodec.refusal(framing, frame);
    }

    @Override
    public String noun() {
      return "frame";
    }

    @Override
    public void release(byte[] message) {
      // nothing to release: a frame is an array
    }

    @Override
    public String toString() {
      return framing.toString();
    }
  }

  /** The user's Netty handlers; messages pass through as they are. */
  final class Handlers<M> implements MessageCodec<M> {
    private final Class<M> type;
    private final Consumer<ChannelPipeline> addHandlers;
    private final ToIntFunction<? super M> sizeOf;

    Handlers(Class<M> type, Consumer<ChannelPipeline> addHandlers, ToIntFunction<? super M> sizeOf) {
      this.type = type;
      this.addHandlers = addHandlers;
      this.sizeOf = sizeOf;
    }

    @Override
    public Class<M> type() {
      return type;
    }

    @Override
    public FrameCodec.BoundedDecoder addHandlers(ChannelPipeline pipeline) {
      addHandlers.accept(pipeline);
      return null;
    }

    @Override
    public Object outbound(ByteBufAllocator alloc, M message) {
      // a buffer is written as a duplicate: the transport moves the reader index of what it
      // writes, and a message that did not fully leave is written again, whole, on the next channel
      if (message instanceof ByteBuf b) {
        return b.retainedDuplicate();
      }
      if (message instanceof io.netty.buffer.ByteBufHolder h) {
        return h.retainedDuplicate();
      }
      return ReferenceCountUtil.retain(message);
    }

    @Override
    public M inbound(Object msg) {
      return type.cast(msg);
    }

    @Override
    public int sizeOf(M message) {
      return Math.max(0, sizeOf.applyAsInt(message));
    }

    @Override
    public String refusal(M message) {
      return type.isInstance(message) ? null
          : "message must be a " + type.getName() + ", but was a " + message.getClass().getName();
    }

    @Override
    public String toString() {
      return "Codec.netty(" + type.getName() + ")";
    }
  }
}
