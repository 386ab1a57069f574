package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.redial.testing.CapturingLines;
import io.redial.testing.LoopbackServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TCP keepalive and TCP_USER_TIMEOUT, read back from the live sockets (getsockopt through the
 * channel's configuration) on NIO and on the native epoll transport; a knob a transport cannot
 * honour is refused at build().
 */
class SocketTuningIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static EventLoopGroup nio;
  private static EventLoopGroup epoll;
  private static LoopbackServer server;

  @BeforeAll
  static void start() throws Exception {
    assertThat(Epoll.isAvailable()).as("the native epoll transport must load here: %s",
        Epoll.unavailabilityCause()).isTrue();
    nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    epoll = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    server = LoopbackServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    epoll.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  private static MessageConnectionBuilder<String> on(EventLoopGroup group, CapturingLines lines) {
    return Redial.connection("tuned", lines.codec()).endpoint(server.address())
        .eventLoopGroup(group).backoff(Backoff.fixed(Duration.ofMillis(50)));
  }

  /** Connected, then the server drops it: every new socket must carry the knobs again. */
  private static void connectTwice(MessageConnection<String> c) throws Exception {
    int accepted = server.accepted();
    c.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    // the client can be connected before the server's acceptor took the socket: closeAll() would
    // then find nothing to close (failed once on a loaded machine)
    await().atMost(WAIT).until(() -> server.accepted() > accepted);
    server.closeAll();
    await().atMost(WAIT).until(() -> c.generation() >= 2
        && c.state() == ConnectionState.CONNECTED);
  }

  @Test
  void keepAliveOnNio() throws Exception {
    CapturingLines lines = new CapturingLines();
    try (MessageConnection<String> c = on(nio, lines)
        .tcpKeepAlive(Duration.ofSeconds(31), Duration.ofSeconds(7), 4).build()) {
      connectTwice(c);
      assertThat(lines.channels()).hasSizeGreaterThanOrEqualTo(2);
      for (Channel ch : lines.channels()) {
        assertThat(ch).isInstanceOf(NioSocketChannel.class);
      }
      Channel ch = lines.last();
      assertThat(ch.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
      assertThat(ch.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE)))
          .isEqualTo(31);
      assertThat(ch.config().getOption(
          NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL))).isEqualTo(7);
      assertThat(ch.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT)))
          .isEqualTo(4);
    }
  }

  @Test
  void keepAliveAndUserTimeoutOnEpoll() throws Exception {
    CapturingLines lines = new CapturingLines();
    try (MessageConnection<String> c = on(epoll, lines)
        .tcpKeepAlive(Duration.ofSeconds(45), Duration.ofSeconds(9), 5)
        .tcpUserTimeout(Duration.ofMillis(12_345)).build()) {
      connectTwice(c);
      Channel ch = lines.last();
      assertThat(ch).isInstanceOf(EpollSocketChannel.class);
      assertThat(ch.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
      assertThat(ch.config().getOption(EpollChannelOption.TCP_KEEPIDLE)).isEqualTo(45);
      assertThat(ch.config().getOption(EpollChannelOption.TCP_KEEPINTVL)).isEqualTo(9);
      assertThat(ch.config().getOption(EpollChannelOption.TCP_KEEPCNT)).isEqualTo(5);
      assertThat(ch.config().getOption(EpollChannelOption.TCP_USER_TIMEOUT)).isEqualTo(12_345);
    }
  }

  @Test
  void anExplicitUserTimeoutWinsOverTheHeartbeatsDefault() throws Exception {
    CapturingLines withDefault = new CapturingLines();
    CapturingLines explicit = new CapturingLines();
    Heartbeat heartbeat = Heartbeat.of(Duration.ofSeconds(3), Duration.ofSeconds(2), () -> "ping");
    try (MessageConnection<String> a = on(epoll, withDefault).heartbeat(heartbeat).build();
        MessageConnection<String> b = on(epoll, explicit).heartbeat(heartbeat)
            .tcpUserTimeout(Duration.ofSeconds(30)).build()) {
      a.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      b.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(withDefault.last().config().getOption(EpollChannelOption.TCP_USER_TIMEOUT))
          .isEqualTo(5_000);
      assertThat(explicit.last().config().getOption(EpollChannelOption.TCP_USER_TIMEOUT))
          .isEqualTo(30_000);
    }
  }

  @Test
  void withoutKnobsTheOsDefaultsStay() throws Exception {
    CapturingLines lines = new CapturingLines();
    try (MessageConnection<String> c = on(epoll, lines).build()) {
      c.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      Channel ch = lines.last();
      assertThat(ch.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
      assertThat(ch.config().getOption(EpollChannelOption.TCP_USER_TIMEOUT)).isZero();
      // whatever the machine's net.ipv4.tcp_keepalive_time says, not one of the values above
      assertThat(ch.config().getOption(EpollChannelOption.TCP_KEEPIDLE)).isNotIn(31, 45);
    }
  }

  @Test
  void aUserTimeoutOnNioIsRefusedAtBuild() {
    CapturingLines lines = new CapturingLines();
    MessageConnectionBuilder<String> b = on(nio, lines).tcpUserTimeout(Duration.ofSeconds(10));
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tcpUserTimeout(PT10S)").hasMessageContaining("NIO")
        .hasMessageContaining("epoll");
    assertThat(lines.channels()).isEmpty();
  }
}
