package io.redial.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native epoll transport on Linux when it loads, NIO otherwise; and Redial's one shared
 * event-loop group (daemon threads, created on first use), so that connections never cost a
 * thread each.
 */
public final class Transport {
  private static final Logger log = LoggerFactory.getLogger(Transport.class);

  private Transport() {}

  /** True when the native epoll transport is in use. */
  public static boolean epoll() {
    return Holder.EPOLL;
  }

  /**
   * The channel class that fits {@code loop}, an event loop of {@code group}. Asks the loop, not
   * the group: a group's {@code isIoType} calls {@code next()}, which would skip a loop in the
   * round robin.
   */
  public static Class<? extends SocketChannel> channelClass(EventLoopGroup group, EventLoop loop) {
    boolean epoll =
        group == Holder.GROUP
            ? Holder.EPOLL
            : loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class);
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** The Unix domain socket channel class of the transport whose TCP class is {@code tcp}. */
  public static Class<? extends Channel> domainChannelClass(Class<? extends SocketChannel> tcp) {
    return tcp == EpollSocketChannel.class
        ? EpollDomainSocketChannel.class
        : NioDomainSocketChannel.class;
  }

  /** The datagram channel class that fits {@code loop} (for DNS queries). */
  public static Class<? extends DatagramChannel> datagramChannelClass(EventLoop loop) {
    return loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class)
        ? EpollDatagramChannel.class
        : NioDatagramChannel.class;
  }

  /**
   * What {@code ch}'s connect call takes for {@code address}: the epoll transport wants its own
   * type for a Unix domain socket; everything else goes as is.
   */
  public static SocketAddress connectAddress(Channel ch, SocketAddress address) {
    if (address instanceof UnixDomainSocketAddress u && ch instanceof EpollDomainSocketChannel) {
      return new DomainSocketAddress(u.getPath().toString());
    }
    return address;
  }

  /** The shared default group. */
  public static EventLoopGroup sharedGroup() {
    return Holder.GROUP;
  }

  private static final class Holder {
    static final boolean EPOLL = useEpoll();
    static final EventLoopGroup GROUP = newGroup();

    private static boolean useEpoll() {
      if (Boolean.getBoolean("redial.noEpoll")) {
        log.info("transport: NIO (epoll disabled by -Dredial.noEpoll=true)");
        return false;
      }
      try {
        if (Epoll.isAvailable()) {
          log.info("transport: native epoll");
          return true;
        }
        log.info("transport: NIO (epoll unavailable: {})", String.valueOf(Epoll.unavailabilityCause()));
      } catch (Throwable t) { // a missing or broken native library must never stop the client
        log.info("transport: NIO (epoll failed to load: {})", t.toString());
      }
      return false;
    }

    private static EventLoopGroup newGroup() {
      IoHandlerFactory factory = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
      int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
      return new MultiThreadIoEventLoopGroup(
          threads, new DefaultThreadFactory("redial", true), factory);
    }
  }
}
