package io.redial.cli.chaos;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The soak's echo server on loopback: echoes every frame, and watches for double connects. A
 * socket belongs to the connection its first frame names. A <b>double connect</b> is a socket of
 * connection C that speaks while an older socket of C is open, when that older socket then stays
 * open longer than a grace period: the old socket's close and the new socket's first frame travel
 * through the proxy on different sockets and may arrive in either order, but a socket whose close
 * is under way is gone within the grace; a second live socket is not.
 *
 * <p>{@link #stop()} and {@link #restart()} play a crash and a return on the same port.
 */
final class ChaosServer implements AutoCloseable {
  private static final long WAIT_SECONDS = 10;
  private static final int REBIND_TRIES = 40;

  private final LongSupplier nanoTime;
  private final long graceNanos;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final ChannelGroup children;
  private final InetSocketAddress address;
  /** Guarded by this: the listening channel, null while stopped. */
  private Channel server;
  /** Guarded by ledger: open sockets by connection (identified sockets only). */
  private final Map<Integer, List<Sock>> open = new HashMap<>();
  private final Object ledger = new Object();
  /** Guarded by ledger: sockets closed after outliving the grace next to a newer one. */
  private long doubles;
  private long corrupt;

  /** One server-side socket. Fields guarded by {@code ledger}. */
  private static final class Sock {
    int connection = -1;
    /** When a newer socket of the same connection first spoke while this one was open; or -1. */
    long sharedSince = -1;
  }

  ChaosServer(LongSupplier nanoTime, long graceNanos, SplittableRandom ports) {
    this.nanoTime = nanoTime;
    this.graceNanos = graceNanos;
    this.children = new DefaultChannelGroup(group.next());
    try {
      this.server = bindLow(port -> bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)),
          ports);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    this.address = (InetSocketAddress) server.localAddress();
  }

  /**
   * Binds a random port below the kernel's ephemeral range (1024 + 10000 above 20000): a listener
   * that goes down and comes back must find its port free, and an outgoing connection or a client
   * connecting to itself (TCP simultaneous open) can take only an ephemeral port. Falls back to 0.
   */
  static <T> T bindLow(IntFunction<T> bind, SplittableRandom random) {
    for (int i = 0; i < 32; i++) {
      try {
        return bind.apply(random.nextInt(20_000, 30_000));
      } catch (RuntimeException taken) {
        // in use: another
      }
    }
    return bind.apply(0);
  }

  InetSocketAddress address() {
    return address;
  }

  /** Server-side sockets open now. */
  int openSockets() {
    return children.size();
  }

  synchronized void stop() {
    if (server != null) {
      server.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
      server = null;
    }
    children.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** Listens again on the same port; retries a bounded 2 s while the old socket lets go. */
  synchronized void restart() throws InterruptedException {
    for (int i = 0; server == null; i++) {
      try {
        server = bind(address);
      } catch (IllegalStateException e) {
        if (i >= REBIND_TRIES) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  /**
   * Double connects as of now: older sockets that stayed open longer than the grace after a newer
   * socket of their connection spoke (closed ones are judged at their close, so nothing is kept).
   */
  long doubleConnects() {
    long now = nanoTime.getAsLong();
    synchronized (ledger) {
      long n = doubles;
      for (List<Sock> mine : open.values()) {
        for (Sock s : mine) {
          if (s.sharedSince >= 0 && now - s.sharedSince > graceNanos) {
            n++;
          }
        }
      }
      return n;
    }
  }

  /** Frames that were not soak frames, or named another connection than their socket's. */
  long corrupt() {
    synchronized (ledger) {
      return corrupt;
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
                .addLast(new LengthFieldBasedFrameDecoder(4 + ChaosFrames.MAX_FRAME_BYTES, 0, 4, 0, 0))
                .addLast(new Echo());
          }
        })
        .bind(at);
    if (!f.awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS) || !f.isSuccess()) {
      f.channel().close();
      throw new IllegalStateException("chaos echo server could not listen on " + at + ": "
          + f.cause(), f.cause());
    }
    return f.channel();
  }

  /** Echoes each frame of one socket, prefix included, after noting whose socket it is. */
  private final class Echo extends ChannelInboundHandlerAdapter {
    private final Sock sock = new Sock();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf frame = (ByteBuf) msg;
      ChaosFrames.Frame f = ChaosFrames.parse(frame.nioBuffer(frame.readerIndex() + 4,
          frame.readableBytes() - 4));
      synchronized (ledger) {
        if (f == null || sock.connection >= 0 && sock.connection != f.connection()) {
          corrupt++;
        } else if (sock.connection < 0) {
          sock.connection = f.connection();
          long now = nanoTime.getAsLong();
          List<Sock> mine = open.computeIfAbsent(f.connection(), c -> new ArrayList<>());
          for (Sock older : mine) {
            if (older.sharedSince < 0) {
              older.sharedSince = now;
            }
          }
          mine.add(sock);
        }
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
      synchronized (ledger) {
        if (sock.sharedSince >= 0 && nanoTime.getAsLong() - sock.sharedSince > graceNanos) {
          doubles++;
        }
        List<Sock> mine = open.get(sock.connection);
        if (mine != null) {
          mine.remove(sock);
          if (mine.isEmpty()) {
            open.remove(sock.connection);
          }
        }
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // a reset or a garbled frame: drop the socket
    }
  }
}
