package io.redial.cli.server;

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
import io.redial.testkit.internal.LoopbackPorts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A loopback echo server for length-prefixed frames that tells an observer, per server-side
 * socket, which frames it carried and when it closed: what the demo's and the chaos soak's
 * verdicts need to count double connects (the test kit's {@code EchoServer} echoes blindly).
 * {@link #stop()} and {@link #restart()} play a server crash and its return on the same port,
 * which lies below the ephemeral range (see {@link LoopbackPorts}).
 */
public final class FrameEchoServer implements AutoCloseable {
  /** Watches one server-side socket. Called on the server's event loop, one socket at a time. */
  public interface SocketObserver {
    /** A frame arrived; {@code payload} is a view of it without the length prefix. */
    void frame(ByteBuffer payload);

    /** The socket closed. */
    void closed();
  }

  private static final long WAIT_SECONDS = 10;
  private static final int REBIND_TRIES = 40;
  private static final long REBIND_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final String name;
  private final int maxFrameBytes;
  private final Supplier<SocketObserver> observers;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final ChannelGroup children;
  private final InetSocketAddress address;
  /** Guarded by this: the listening channel, null while stopped. */
  private Channel server;

  /**
   * @param name for error messages, e.g. "demo server"
   * @param observers makes the observer of each accepted socket
   */
  public FrameEchoServer(String name, int maxFrameBytes, Supplier<SocketObserver> observers) {
    this.name = name;
    this.maxFrameBytes = maxFrameBytes;
    this.observers = observers;
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

  public InetSocketAddress address() {
    return address;
  }

  /** Server-side sockets open now. */
  public int openSockets() {
    return children.size();
  }

  /** Stops listening and drops every client: a crashed server. */
  public synchronized void stop() {
    if (server != null) {
      server.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
      server = null;
    }
    children.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Listens again on the same port. Retries a bounded 2 s: a socket that still holds the port on
   * its way out lets go soon.
   */
  public synchronized void restart() {
    for (int i = 0; server == null && !group.isShuttingDown(); i++) {
      try {
        server = bind(address);
      } catch (IllegalStateException e) {
        if (i >= REBIND_TRIES) {
          throw e;
        }
        LockSupport.parkNanos(REBIND_PAUSE_NANOS); // the kernel's pace, not a guess
      }
    }
  }

  @Override
  public void close() {
    stop();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS)
        .awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
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
                .addLast(new LengthFieldBasedFrameDecoder(4 + maxFrameBytes, 0, 4, 0, 0))
                .addLast(new Echo(observers.get()));
          }
        })
        .bind(at);
    if (!f.awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS) || !f.isSuccess()) {
      f.channel().close();
      throw new IllegalStateException(name + " could not listen on " + at + ": " + f.cause(),
          f.cause());
    }
    return f.channel();
  }

  /** Tells the observer, then echoes each frame of one socket, prefix included. */
  private static final class Echo extends ChannelInboundHandlerAdapter {
    private final SocketObserver observer;

    Echo(SocketObserver observer) {
      this.observer = observer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf frame = (ByteBuf) msg;
      observer.frame(frame.nioBuffer(frame.readerIndex() + 4, frame.readableBytes() - 4));
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
      observer.closed();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // a reset client or an oversized frame: drop the socket
    }
  }
}
