package io.redial.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's own dead-peer detection, set per socket, independently of Redial's heartbeat: TCP
 * keepalive probes (idle time, interval, count) and {@code TCP_USER_TIMEOUT} (how long written
 * data may stay unacknowledged before the kernel drops the connection). On epoll through
 * {@link EpollChannelOption}; on NIO through the JDK's {@link ExtendedSocketOptions} (keepalive
 * only: the JDK has no {@code TCP_USER_TIMEOUT}). A knob the transport cannot honour is refused at
 * {@code build()} by {@link #check}, never dropped with a warning as Netty does with options a
 * channel does not know.
 *
 * @param keepAliveIdle idle time before the first probe, whole seconds; null: the OS default
 *     (Linux: 7200 s)
 * @param keepAliveInterval time between probes, whole seconds; null exactly when idle is
 * @param keepAliveCount unanswered probes before the connection is dropped; 0 exactly when idle
 *     is null
 * @param userTimeout {@code TCP_USER_TIMEOUT}, whole milliseconds; null: Redial's default (on
 *     epoll with a heartbeat, the heartbeat's interval plus timeout; otherwise the OS default)
 */
public record SocketTuning(Duration keepAliveIdle, Duration keepAliveInterval, int keepAliveCount,
    Duration userTimeout) {
  private static final Logger log = LoggerFactory.getLogger(SocketTuning.class);
  /** Linux caps TCP_KEEPIDLE and TCP_KEEPINTVL at 32767 s (MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL). */
  public static final int MAX_KEEPALIVE_SECONDS = 32_767;
  /** Linux caps TCP_KEEPCNT at 127 (MAX_TCP_KEEPCNT). */
  public static final int MAX_KEEPALIVE_COUNT = 127;

  /** No knob set. */
  public static final SocketTuning NONE = new SocketTuning(null, null, 0, null);

  /**
   * With keepalive probes after {@code idle} of silence, every {@code interval}, {@code count}
   * times.
   *
   * @throws IllegalArgumentException naming the parameter, the value and what is allowed
   */
  public SocketTuning withKeepAlive(Duration idle, Duration interval, int count) {
    seconds("tcpKeepAlive idle", idle);
    seconds("tcpKeepAlive interval", interval);
    Checks.range("tcpKeepAlive count", count, 1, MAX_KEEPALIVE_COUNT);
    return new SocketTuning(idle, interval, count, userTimeout);
  }

  /**
   * With {@code TCP_USER_TIMEOUT} set to {@code timeout}.
   *
   * @throws IllegalArgumentException naming the parameter, the value and what is allowed
   */
  public SocketTuning withUserTimeout(Duration timeout) {
    Checks.positive("tcpUserTimeout", Checks.notNull("tcpUserTimeout", timeout));
    if (timeout.toNanos() % 1_000_000 != 0 || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tcpUserTimeout must be a whole number of milliseconds"
          + " up to " + Integer.MAX_VALUE + " ms, but was " + timeout);
    }
    return new SocketTuning(keepAliveIdle, keepAliveInterval, keepAliveCount, timeout);
  }

  private static void seconds(String name, Duration d) {
    Checks.positive(name, Checks.notNull(name, d));
    if (d.getNano() != 0 || d.getSeconds() > MAX_KEEPALIVE_SECONDS) {
      throw new IllegalArgumentException(name + " must be a whole number of seconds in 1.."
          + MAX_KEEPALIVE_SECONDS + " (the kernel counts keepalive in seconds), but was " + d);
    }
  }

  /** Whether any knob is set. */
  public boolean isSet() {
    return keepAliveIdle != null || userTimeout != null;
  }

  /**
   * Refuses a knob the transport of {@code group} (null: Redial's shared group) cannot honour.
   *
   * @throws IllegalStateException saying which knob, which transport, and what would work
   */
  public void check(EventLoopGroup group) {
    if (!isSet() || epoll(group)) {
      return;
    }
    if (userTimeout != null) {
      throw new IllegalStateException("tcpUserTimeout(" + userTimeout + ") needs the native"
          + " epoll transport (Linux), but this connection runs on NIO" + why(group)
          + "; the JDK has no TCP_USER_TIMEOUT. Use a heartbeat to bound dead-peer detection, or"
          + " run on epoll");
    }
    Set<SocketOption<?>> supported = NioOptions.SUPPORTED;
    if (!supported.contains(ExtendedSocketOptions.TCP_KEEPIDLE)
        || !supported.contains(ExtendedSocketOptions.TCP_KEEPINTERVAL)
        || !supported.contains(ExtendedSocketOptions.TCP_KEEPCOUNT)) {
      throw new IllegalStateException("tcpKeepAlive(...) needs TCP_KEEPIDLE, TCP_KEEPINTERVAL and"
          + " TCP_KEEPCOUNT, which this JDK's NIO sockets do not support on "
          + System.getProperty("os.name") + " (they support " + supported + ")");
    }
  }

  private static String why(EventLoopGroup group) {
    return group == null ? " (Redial's shared group: epoll is not available here or"
        + " -Dredial.noEpoll=true)" : " (the event loop group given to eventLoopGroup(...))";
  }

  /**
   * Whether channels of {@code group} (null: Redial's shared group) are epoll channels. Looks at
   * one of the group's loops without calling {@code next()}, which would advance its round robin.
   */
  static boolean epoll(EventLoopGroup group) {
    if (group == null) {
      return Transport.epoll();
    }
    Iterator<EventExecutor> loops = group.iterator();
    return loops.hasNext() && loops.next() instanceof IoEventLoop io
        && io.isIoType(EpollIoHandler.class);
  }

  /** Sets the knobs on a bootstrap for one channel of the given transport. */
  void apply(Bootstrap b, boolean epoll) {
    if (keepAliveIdle != null) {
      int idle = (int) keepAliveIdle.getSeconds();
      int interval = (int) keepAliveInterval.getSeconds();
      if (epoll) {
        b.option(EpollChannelOption.TCP_KEEPIDLE, idle);
        b.option(EpollChannelOption.TCP_KEEPINTVL, interval);
        b.option(EpollChannelOption.TCP_KEEPCNT, keepAliveCount);
      } else {
        b.option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idle);
        b.option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), interval);
        b.option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), keepAliveCount);
      }
    }
    if (userTimeout != null && epoll) { // check() refused it on NIO at build()
      b.option(EpollChannelOption.TCP_USER_TIMEOUT, (int) userTimeout.toMillis());
    }
  }

  /** Logs the knobs once, when a connection is made. */
  void log(String connection, boolean epoll) {
    if (isSet()) {
      log.info("connection '{}': {} on {}", connection, this, epoll ? "epoll" : "NIO");
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    if (keepAliveIdle != null) {
      b.append("TCP keepalive idle ").append(keepAliveIdle.getSeconds()).append(" s, interval ")
          .append(keepAliveInterval.getSeconds()).append(" s, count ").append(keepAliveCount);
    }
    if (userTimeout != null) {
      b.append(b.length() == 0 ? "" : "; ").append("TCP_USER_TIMEOUT ")
          .append(userTimeout.toMillis()).append(" ms");
    }
    return b.length() == 0 ? "OS defaults" : b.toString();
  }

  /** The socket options this JDK's NIO sockets support, asked once of a throwaway channel. */
  private static final class NioOptions {
    static final Set<SocketOption<?>> SUPPORTED = ask();

    private static Set<SocketOption<?>> ask() {
      try (SocketChannel probe = SocketChannel.open()) {
        return Set.copyOf(probe.supportedOptions());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open a socket to ask which options NIO supports", e);
      }
    }
  }
}
