package io.redial.bench.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The transport both sides of every comparison use: native epoll when it loads (as Redial picks
 * it), NIO otherwise. Redial and raw Netty run on the same kind of group with the same number of
 * threads, so that only the library differs.
 */
public final class Net {
  private Net() {}

  /** True when the native epoll transport is available. */
  public static boolean epoll() {
    try {
      return !Boolean.getBoolean("redial.noEpoll") && Epoll.isAvailable();
    } catch (Throwable t) { // a missing native library means NIO, not a failed run
      return false;
    }
  }

  /** A new client event-loop group of {@code threads} daemon threads. */
  public static EventLoopGroup newGroup(int threads, String name) {
    IoHandlerFactory factory = epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
  }

  /** The socket channel class for groups made by {@link #newGroup}. */
  public static Class<? extends SocketChannel> channelClass() {
    return epoll() ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** Shuts {@code group} down and waits a bounded time. */
  public static void shutdown(EventLoopGroup group) {
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
  }
}
