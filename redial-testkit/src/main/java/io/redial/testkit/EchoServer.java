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
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

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
 * for lines, or the builder's {@link Builder#maxFrameBytes(int)}) close the connection instead of
 * being buffered. The {@link #builder(EchoMode)} also takes a {@link SocketObserver} per accepted
 * socket, to see which frames each socket carried and when it closed.
 */
public final class EchoServer implements AutoCloseable {
  /** Largest length-prefixed frame echoed, prefix excluded. */
  public static final int MAX_FRAME_BYTES = 1 << 20;
  /** Longest line echoed, terminator excluded. */
  public static final int MAX_LINE_BYTES = 64 * 1024;
  private static final long WAIT_SECONDS = 10;
  /** restart(): a socket that still holds the port on its way out lets go soon; 40 x 50 ms. */
  private static final int REBIND_TRIES = 40;
  private static final long REBIND_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final Supplier<SocketObserver> NO_OBSERVER = () -> new SocketObserver() {};

  private final EchoMode mode;
  private final int maxFrameBytes;
  private final Supplier<? extends SocketObserver> observers;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  /** Accepted connections; closed ones remove themselves. */
  private final ChannelGroup children;
  private final InetSocketAddress address;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong framesEchoed = new AtomicLong();
  /** Guarded by this: the listening channel, null while stopped. */
  private Channel server;

  private EchoServer(EchoMode mode, InetSocketAddress bindTo) {
    this(mode, bindTo, mode == EchoMode.LINES ? MAX_LINE_BYTES : MAX_FRAME_BYTES, NO_OBSERVER);
  }

  private EchoServer(EchoMode mode, InetSocketAddress bindTo, int maxFrameBytes,
      Supplier<? extends SocketObserver> observers) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.maxFrameBytes = maxFrameBytes;
    this.observers = Objects.requireNonNull(observers, "observers");
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

  /** A builder, for a frame limit, a bind address or a {@link SocketObserver}. */
  public static Builder builder(EchoMode mode) {
    return new Builder(Objects.requireNonNull(mode, "mode"));
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

  /**
   * Listens again on the same port after {@link #stop()}; does nothing while running. Retries for
   * a bounded 2 s while the port is still held by a socket on its way out.
   */
  public synchronized void restart() {
    if (group.isShuttingDown()) {
      throw new IllegalStateException("the echo server is closed");
    }
    for (int i = 0; server == null; i++) {
      try {
        server = bind(address);
      } catch (IllegalStateException e) {
        if (i >= REBIND_TRIES || group.isShuttingDown()) {
          throw e;
        }
        LockSupport.parkNanos(REBIND_PAUSE_NANOS); // the kernel's pace, not a guess
      }
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
                  ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(maxFrameBytes + 4, 0, 4, 0, 0));
              case LINES -> ch.pipeline().addLast(new LineBasedFrameDecoder(maxFrameBytes, false, false));
              case RAW -> { }
            }
            SocketObserver observer = observers.get();
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                framesEchoed.incrementAndGet();
                observer.frame(payload((ByteBuf) msg));
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
              public void channelInactive(ChannelHandlerContext ctx) {
                observer.closed();
                ctx.fireChannelInactive();
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
      f.channel().close();
      throw new IllegalStateException("echo server could not listen on " + bindTo + ": " + f.cause(), f.cause());
    }
    return f.channel();
  }

  /** The frame's payload as the observer sees it: no prefix, no line terminator; read-only. */
  private ByteBuffer payload(ByteBuf frame) {
    int from = frame.readerIndex();
    int length = frame.readableBytes();
    if (mode == EchoMode.LENGTH_PREFIXED) {
      from += 4;
      length -= 4;
    } else if (mode == EchoMode.LINES && length > 0 && frame.getByte(from + length - 1) == '\n') {
      length -= length > 1 && frame.getByte(from + length - 2) == '\r' ? 2 : 1;
    }
    return frame.nioBuffer(from, length).asReadOnlyBuffer();
  }

  /** Builds an {@link EchoServer}; {@link #start()} binds it. */
  public static final class Builder {
    private final EchoMode mode;
    private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private int maxFrameBytes;
    private Supplier<? extends SocketObserver> observers = NO_OBSERVER;

    private Builder(EchoMode mode) {
      this.mode = mode;
      this.maxFrameBytes = mode == EchoMode.LINES ? MAX_LINE_BYTES : MAX_FRAME_BYTES;
    }

    /** Where to listen; default: loopback, a free port below the ephemeral range. */
    public Builder address(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * The largest frame (prefix excluded) or line (terminator excluded) echoed; a larger one
     * closes its connection unread. Default {@link #MAX_FRAME_BYTES} or {@link #MAX_LINE_BYTES};
     * ignored in {@link EchoMode#RAW}.
     */
    public Builder maxFrameBytes(int maxFrameBytes) {
      int most = mode == EchoMode.LINES ? MAX_LINE_BYTES : MAX_FRAME_BYTES;
      if (maxFrameBytes < 1 || maxFrameBytes > most) {
        throw new IllegalArgumentException("maxFrameBytes is " + maxFrameBytes + "; allowed: 1 to " + most);
      }
      this.maxFrameBytes = maxFrameBytes;
      return this;
    }

    /** Makes one observer for each accepted socket. */
    public Builder observer(Supplier<? extends SocketObserver> observers) {
      this.observers = Objects.requireNonNull(observers, "observers");
      return this;
    }

    /** Starts listening. */
    public EchoServer start() {
      return new EchoServer(mode, address, maxFrameBytes, observers);
    }
  }
}
