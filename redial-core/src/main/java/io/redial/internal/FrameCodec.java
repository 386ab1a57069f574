package io.redial.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.redial.Framing;

/**
 * Encoding and decoding of frames for a {@link Framing}. Decoders refuse an oversized frame as
 * soon as its size is known — an announced length, or a line that has grown past the maximum —
 * so a hostile peer cannot make the client buffer more than the maximum.
 */
public final class FrameCodec {
  private FrameCodec() {}

  /** A decoder that can say how much it holds, so tests can assert memory stays bounded. */
  public interface BoundedDecoder extends ChannelHandler {
    /** The most bytes held at once between two reads, over the channel's life. */
    int highWater();
  }

  /** A new decoder for one channel, or null for {@link Framing#raw()}. */
  public static BoundedDecoder newDecoder(Framing framing) {
    return switch (framing.type()) {
      case LENGTH_PREFIXED -> new LengthPrefixedDecoder(framing.maxFrameBytes());
      case LINES -> new LinesDecoder(framing.maxFrameBytes());
      case RAW -> null;
    };
  }

  /** The wire form of one frame. */
  public static ByteBuf encode(ByteBufAllocator alloc, Framing framing, byte[] frame) {
    return switch (framing.type()) {
      case LENGTH_PREFIXED -> {
        ByteBuf buf = alloc.buffer(4 + frame.length);
        buf.writeInt(frame.length).writeBytes(frame);
        yield buf;
      }
      case LINES -> {
        ByteBuf buf = alloc.buffer(frame.length + 1);
        buf.writeBytes(frame).writeByte('\n');
        yield buf;
      }
      case RAW -> alloc.buffer(frame.length).writeBytes(frame);
    };
  }

  /** Bytes on the wire for a frame of {@code payload} bytes. */
  public static int wireSize(Framing framing, int payload) {
    return switch (framing.type()) {
      case LENGTH_PREFIXED -> payload + 4;
      case LINES -> payload + 1;
      case RAW -> payload;
    };
  }

  /**
   * Why a frame cannot be sent with {@code framing}, or null when it can. Checked at
   * {@code send()} so the caller hears of it at once.
   */
  public static String refusal(Framing framing, byte[] frame) {
    if (frame.length > framing.maxFrameBytes()) {
      return "frame must be at most " + framing.maxFrameBytes() + " bytes (" + framing
          + "), but was " + frame.length + " bytes";
    }
    if (framing.type() == Framing.Type.LINES) {
      for (int i = 0; i < frame.length; i++) {
        if (frame[i] == '\n' || frame[i] == '\r') {
          return "frame must not contain a line break with " + framing
              + ", but has one at index " + i;
        }
      }
    }
    return null;
  }

  private static final class LengthPrefixedDecoder extends LengthFieldBasedFrameDecoder
      implements BoundedDecoder {
    LengthPrefixedDecoder(int maxFrameBytes) {
      // maxFrameLength counts the 4-byte prefix; failFast refuses as soon as the prefix is read
      super(maxFrameBytes + 4, 0, 4, 0, 4, true);
    }

    private int highWater;

    @Override
    public int highWater() {
      return highWater;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      super.channelRead(ctx, msg);
      highWater = Math.max(highWater, actualReadableBytes());
    }

    @Override
    protected ByteBuf extractFrame(ChannelHandlerContext ctx, ByteBuf buffer, int index, int length) {
      return buffer.retainedSlice(index, length);
    }
  }

  private static final class LinesDecoder extends LineBasedFrameDecoder implements BoundedDecoder {
    LinesDecoder(int maxLineBytes) {
      super(maxLineBytes, true, true);
    }

    private int highWater;

    @Override
    public int highWater() {
      return highWater;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      super.channelRead(ctx, msg);
      highWater = Math.max(highWater, actualReadableBytes());
    }
  }
}
