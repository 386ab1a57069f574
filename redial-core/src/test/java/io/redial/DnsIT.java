package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.redial.testing.LoopbackServer;
import io.redial.testing.Recorder;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Name resolution never blocks the event loop: while one connection waits on a name server that
 * never answers, another connection on the same one-thread event loop connects. And every address
 * of a name is tried: the hosts file's {@code localhost} has 127.0.0.1 and ::1.
 */
class DnsIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private EventLoopGroup group;

  @AfterEach
  void shutDown() throws Exception {
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** A UDP socket on loopback that reads every query and never answers. */
  private static final class DeadNameServer implements AutoCloseable {
    final DatagramSocket socket;
    final AtomicInteger queries = new AtomicInteger();

    DeadNameServer() throws SocketException {
      socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread t = new Thread(() -> {
        byte[] buf = new byte[1500];
        while (!socket.isClosed()) {
          try {
            socket.receive(new DatagramPacket(buf, buf.length));
            queries.incrementAndGet(); // and drop it
          } catch (IOException closed) {
            return;
          }
        }
      }, "dead-dns");
      t.setDaemon(true);
      t.start();
    }

    DnsServerAddressStreamProvider provider() {
      return new SingletonDnsServerAddressStreamProvider(
          (InetSocketAddress) socket.getLocalSocketAddress());
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"nio", "epoll"})
  void aNameServerThatNeverAnswersDoesNotStallOtherConnectionsOnTheLoop(String transport)
      throws Exception {
    IoHandlerFactory factory = NioIoHandler.newFactory();
    if (transport.equals("epoll")) {
      assertThat(Epoll.isAvailable()).as("the epoll transport loads here").isTrue();
      factory = EpollIoHandler.newFactory();
    }
    group = new MultiThreadIoEventLoopGroup(1, factory); // one thread: both share it
    Recorder stuckEvents = new Recorder();
    try (DeadNameServer dns = new DeadNameServer();
        LoopbackServer server = LoopbackServer.start();
        Connection stuck = Redial.connection("stuck")
            .endpoint("stuck.redial.test", server.port())
            .resolver(new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(transport.equals("epoll")
                    ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .nameServerProvider(dns.provider())
                .queryTimeoutMillis(Duration.ofMinutes(5).toMillis())))
            .connectTimeout(Duration.ofMinutes(5))
            .eventLoopGroup(group)
            .listener(stuckEvents)
            .build();
        Connection other = Redial.connection("other")
            .endpoint("localhost", server.port()) // from the hosts file
            .eventLoopGroup(group)
            .build()) {
      stuck.connect();
      await().atMost(WAIT).until(() -> dns.queries.get() > 0); // its query is out, unanswered

      other.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(other.state()).isEqualTo(ConnectionState.CONNECTED);
      // the stuck connection is still waiting for its first answer: nothing failed, nothing
      // connected — the loop served the other connection meanwhile
      assertThat(stuck.state()).isEqualTo(ConnectionState.CONNECTING);
      assertThat(stuckEvents.of(ConnectionEvent.AttemptFailed.class)).isEmpty();
      await().atMost(WAIT).until(() -> server.accepted() == 1);
      assertThat(stuck.state()).isEqualTo(ConnectionState.CONNECTING); // and still waiting
    }
  }

  @Test
  void aNameWhoseFirstAddressRefusesConnectsToItsNextAddress() throws Exception {
    // localhost is 127.0.0.1 and ::1 in the hosts file; the server listens on ::1 only
    Recorder rec = new Recorder();
    try (java.nio.channels.ServerSocketChannel v6 = java.nio.channels.ServerSocketChannel.open()) {
      v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
      int port = ((InetSocketAddress) v6.getLocalAddress()).getPort();
      try (Connection c = Redial.connection("two-addresses")
          .endpoint("localhost", port)
          .backoff(Backoff.fixed(Duration.ofSeconds(30))) // no second sweep within the test
          .listener(rec)
          .build()) {
        c.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(rec.of(ConnectionEvent.AttemptFailed.class)).singleElement().satisfies(f -> {
          assertThat(f.endpoint()).isEqualTo("localhost/127.0.0.1:" + port);
          assertThat(f.socketError().name()).isEqualTo("WSAECONNREFUSED");
          assertThat(f.nextDelay()).contains(Duration.ZERO); // same sweep: no backoff
        });
        assertThat(rec.of(ConnectionEvent.AttemptStarted.class))
            .extracting(ConnectionEvent.AttemptStarted::endpoint)
            .containsExactly("localhost:" + port, "localhost/[0:0:0:0:0:0:0:1]:" + port);
        assertThat(c.generation()).isEqualTo(2);
      }
    }
  }
}
