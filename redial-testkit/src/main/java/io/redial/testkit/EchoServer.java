package io.redial.testkit;

import io.redial.testkit.internal.LoopbackPorts;
import io.netty.bootstrap.ServerBootstrap;
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
import io.redial.testkit.internal.ReleasingServerChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback echo server for tests: every frame it reads ({@link EchoMode}) is written back
 * unchanged. It can be stopped and started again on the same port, to play a server restart.
 *
 * <pre>{@code
 * try (EchoServer echo = EchoServer.start(EchoMode.LENGTH_PREFIXED)) {
 *   // connect to echo.address(); send [0,0,0,2,'h','i'] and read the same six bytes back
 * }
 * }</pre>
 *
 * Oversized frames (more than {@link #MAX_FRAME_BYTES} for length-prefixed, {@link #MAX_LINE_BYTES}
 * for lines) close the connection instead of being buffered.
 */
public final class EchoServer implements AutoCloseable {
  /** Largest length-prefixed frame echoed, prefix excluded. */
  public static final int MAX_FRAME_BYTES = 1 << 20;
  /** Longest line echoed, terminator excluded. */
  public static final int MAX_LINE_BYTES = 64 * 1024;
  private static final long WAIT_SECONDS = 10;

  private final EchoMode mode;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  /** Accepted connections; closed ones remove themselves. */
  private final ChannelGroup children;
  private final InetSocketAddress address;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong framesEchoed = new AtomicLong();
  /** Guarded by this: the listening channel, null while stopped. */
  private Channel server;

  private EchoServer(EchoMode mode, InetSocketAddress bindTo) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.children = new DefaultChannelGroup(group.next());
    try {
      // port 0: below the ephemeral range, so that while stopped no client (not even one
      // retrying this port, which would connect to itself) can take the port
      this.server = bindTo.getPort() != 0
          ? bind(bindTo)
          : LoopbackPorts.bindBelowEphemeral(
              port -> bind(new InetSocketAddress(bindTo.getAddress(), port)),
              new java.util.SplittableRandom());
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    this.address = (InetSocketAddress) server.localAddress();
  }

  /** Starts an echo server on an ephemeral loopback port. */
  public static EchoServer start(EchoMode mode) {
    return new EchoServer(mode, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /** Starts an echo server on the given address. */
  public static EchoServer start(EchoMode mode, InetSocketAddress address) {
    return new EchoServer(mode, Objects.requireNonNull(address, "address"));
  }

  /** Where it listens (the same across {@link #stop()} and {@link #restart()}). */
  public InetSocketAddress address() {
    return address;
  }

  /** Its framing. */
  public EchoMode mode() {
    return mode;
  }

  /** Connections open right now. */
  public int openConnections() {
    return children.size();
  }

  /** Connections accepted since start. */
  public long totalAccepted() {
    return accepted.get();
  }

  /** Frames (or, in RAW mode, reads) echoed since start. */
  public long framesEchoed() {
    return framesEchoed.get();
  }

  /** Whether it is listening. */
  public synchronized boolean isRunning() {
    return server != null && server.isActive();
  }

  /** Stops listening and closes every connection: a crashed server. The port stays reserved only by convention. */
  public synchronized void stop() {
    if (server != null) {
      ReleasingServerChannel.closeAndRelease(server).awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
      server = null;
    }
    children.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** Listens again on the same port after {@link #stop()}; does nothing while running. */
  public synchronized void restart() {
    if (group.isShuttingDown()) {
      throw new IllegalStateException("the echo server is closed");
    }
    if (server == null) {
      server = bind(address);
    }
  }

  /** Stops and releases the event loop. Idempotent. */
  @Override
  public void close() {
    stop();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "EchoServer[" + mode + " " + address + "]";
  }

  private Channel bind(InetSocketAddress bindTo) {
    ChannelFuture f = new ServerBootstrap()
        .group(group)
        .channelFactory(ReleasingServerChannel::new)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            accepted.incrementAndGet();
            children.add(ch);
            switch (mode) {
              case LENGTH_PREFIXED ->
                  ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME_BYTES + 4, 0, 4, 0, 0));
              case LINES -> ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE_BYTES, false, false));
              case RAW -> { }
            }
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                framesEchoed.incrementAndGet();
                ctx.writeAndFlush(msg);
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
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close(); // a reset client or an oversized frame: drop the connection
              }
            });
          }
        })
        .bind(bindTo);
    if (!f.awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS) || !f.isSuccess()) {
      throw new IllegalStateException("echo server could not listen on " + bindTo + ": " + f.cause(), f.cause());
    }
    return f.channel();
  }
}
