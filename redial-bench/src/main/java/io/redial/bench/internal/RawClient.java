package io.redial.bench.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The baseline: a plain Netty client written the way a careful Netty user would, with the same
 * length-prefixed codec as Redial's {@code Framing.lengthPrefixed()} (a 4-byte big-endian length,
 * then the payload) and the same socket options, delivering each inbound frame as a
 * {@code byte[]} just as Redial's {@code onMessage} does. Frames are sent with
 * {@code writeAndFlush}, and a {@link FlushConsolidationHandler} coalesces the flushes of one
 * event-loop turn, as Redial coalesces its own.
 */
public final class RawClient {
  /** Same bound as Redial's default framing. */
  public static final int MAX_FRAME_BYTES = 1 << 20;

  /** Raw Netty as a {@link ClientKind}: one channel per client, no reconnect. */
  static final ClientKind KIND = new ClientKind(ClientKind.RAW, "raw Netty", "",
      "the write fails (no reconnect)", RawClient::opener);

  private static ClientKind.Opener opener(Loops loops, Consumer<byte[]> onFrame, Events events) {
    Bootstrap b = bootstrap(loops.group(), onFrame, events::disconnected);
    return address -> {
      events.attempt();
      ChannelFuture f = b.connect(address);
      CompletableFuture<Void> first = new CompletableFuture<>();
      f.addListener(x -> {
        if (f.isSuccess()) {
          events.connected();
          first.complete(null);
        } else {
          first.completeExceptionally(f.cause());
        }
      });
      return new Raw(f.channel(), first);
    };
  }

  private RawClient() {}

  /** A bootstrap for {@code group}; each connected channel hands its frames to {@code onFrame}. */
  public static Bootstrap bootstrap(EventLoopGroup group, Consumer<byte[]> onFrame) {
    return bootstrap(group, onFrame, () -> {});
  }

  /**
   * As {@link #bootstrap(EventLoopGroup, Consumer)}, and {@code onInactive} runs when a channel
   * goes inactive.
   */
  public static Bootstrap bootstrap(
      EventLoopGroup group, Consumer<byte[]> onFrame, Runnable onInactive) {
    return new Bootstrap()
        .group(group)
        .channel(Net.channelClass())
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline()
                    // writeAndFlush per frame, flushes coalesced per loop turn: the standard
                    // Netty way to send many small frames, and what Redial does itself
                    .addLast("flushes", new FlushConsolidationHandler(
                        FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true))
                    .addLast("frames", new LengthFieldBasedFrameDecoder(
                        MAX_FRAME_BYTES + 4, 0, 4, 0, 4, true))
                    .addLast("encoder", new LengthPrefixEncoder())
                    .addLast("app", new Inbound(onFrame, onInactive));
              }
            });
  }

  /** Connects one channel and waits for it (bounded). */
  public static Channel connect(Bootstrap bootstrap, InetSocketAddress address) {
    return bootstrap.connect(address).syncUninterruptibly().channel();
  }

  /** Plain Netty: {@code writeAndFlush} per frame; the pipeline coalesces the flushes. */
  record Raw(Channel channel, CompletableFuture<Void> firstConnect) implements BenchClient {
    @Override
    public void send(byte[] frame) {
      channel.writeAndFlush(frame, channel.voidPromise());
    }


    @Override
    public void close() {
      channel.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
  }

  /** Writes {@code byte[]} frames with their 4-byte length. */
  static final class LengthPrefixEncoder extends MessageToByteEncoder<byte[]> {
    @Override
    protected void encode(ChannelHandlerContext ctx, byte[] frame, ByteBuf out) {
      out.writeInt(frame.length).writeBytes(frame);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, byte[] frame, boolean preferDirect) {
      return ctx.alloc().ioBuffer(4 + frame.length);
    }
  }

  private static final class Inbound extends ChannelInboundHandlerAdapter {
    private final Consumer<byte[]> onFrame;
    private final Runnable onInactive;

    Inbound(Consumer<byte[]> onFrame, Runnable onInactive) {
      this.onFrame = onFrame;
      this.onInactive = onInactive;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      byte[] frame;
      try {
        frame = ByteBufUtil.getBytes((ByteBuf) msg);
      } finally {
        ReferenceCountUtil.release(msg);
      }
      onFrame.accept(frame);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      onInactive.run();
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
