package io.redial.cli.demo;

import io.redial.testkit.internal.LoopbackPorts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The demo's echo server, on loopback: echoes every length-prefixed frame and tells the
 * {@link Ledger} which socket carried which frame. (The test kit's {@code EchoServer} echoes
 * blindly; the verdict needs to know which managed connection each server-side socket belongs to.)
 * {@link #stop()} and {@link #restart()} play a server crash and its return on the same port.
 */
final class DemoServer implements AutoCloseable {
  private static final long WAIT_SECONDS = 10;
  private static final long REBIND_MILLIS = 2_000;

  private final Ledger ledger;
  private final LongSupplier nanoTime;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final ChannelGroup children;
  private final InetSocketAddress address;
  /** Guarded by this: the listening channel, null while stopped. */
  private Channel server;

  /** Listens on a loopback port below the ephemeral range (see {@link LoopbackPorts}). */
  DemoServer(Ledger ledger, LongSupplier nanoTime) {
    this.ledger = ledger;
    this.nanoTime = nanoTime;
    this.children = new DefaultChannelGroup(group.next());
    try {
      this.server = LoopbackPorts.bindBelowEphemeral(
          port -> bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)),
          new SplittableRandom());
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    this.address = (InetSocketAddress) server.localAddress();
  }

  InetSocketAddress address() {
    return address;
  }

  /** Server-side sockets open now. */
  int openSockets() {
    return children.size();
  }

  /** Stops listening and drops every client: a crashed server. */
  synchronized void stop() {
    if (server != null) {
      server.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
      server = null;
    }
    children.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Listens again on the same port. Retries for up to {@link #REBIND_MILLIS}: a socket that
   * still holds the port on its way out lets go soon.
   */
  synchronized void restart() {
    for (int i = 0; server == null && !group.isShuttingDown(); i++) {
      try {
        server = bind(address);
      } catch (IllegalStateException e) {
        if (i >= REBIND_MILLIS / 50) {
          throw e;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    stop();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private Channel bind(InetSocketAddress at) {
    ChannelFuture f = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            children.add(ch);
            ch.pipeline()
                .addLast(new LengthFieldBasedFrameDecoder(4 + Protocol.MAX_FRAME_BYTES, 0, 4, 0, 0))
                .addLast(new Echo(ledger.opened()));
          }
        })
        .bind(at);
    if (!f.awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS) || !f.isSuccess()) {
      throw new IllegalStateException("demo server could not listen on " + at + ": " + f.cause(),
          f.cause());
    }
    return f.channel();
  }

  /** Records and echoes each frame of one socket, prefix included. */
  private final class Echo extends ChannelInboundHandlerAdapter {
    private final long socketId;

    Echo(long socketId) {
      this.socketId = socketId;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf frame = (ByteBuf) msg;
      Protocol.Frame f = Protocol.parse(frame.nioBuffer(frame.readerIndex() + 4,
          frame.readableBytes() - 4));
      if (f == null) {
        ledger.corrupt(socketId);
      } else {
        ledger.frame(socketId, f, nanoTime.getAsLong());
      }
      ctx.writeAndFlush(frame);
      if (!ctx.channel().isWritable()) {
        ctx.channel().config().setAutoRead(false); // a client that does not read: stop, don't buffer
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      ctx.channel().config().setAutoRead(ctx.channel().isWritable());
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      ledger.closed(socketId, nanoTime.getAsLong());
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // a reset client or an oversized frame: drop the connection
    }
  }
}
