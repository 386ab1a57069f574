package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.redial.internal.ManagedConnection;
import io.redial.internal.Resolvers;
import io.redial.testing.LoopbackServer;
import io.redial.testing.Recorder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redial's DNS resolver against a real name server nobody here wrote: dnsmasq, started by the
 * test on 127.0.0.1 at a free port, answering for {@code redial.test} from a hosts file the test
 * writes (no upstream, no system files). A missing dnsmasq fails these tests.
 */
class DnsmasqIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private Path dir;
  private Path hosts;
  private Process dnsmasq;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private EventLoopGroup group;
  /** Redial's DNS resolver, asking the test's dnsmasq only. */
  private AddressResolverGroup<InetSocketAddress> resolvers;

  @BeforeEach
  void startDnsmasq() throws Exception {
    dir = Files.createTempDirectory("redial-dnsmasq");
    hosts = dir.resolve("hosts");
    Files.writeString(hosts, "");
    Path binary = Path.of("/usr/sbin/dnsmasq");
    assertThat(Files.isExecutable(binary))
        .as("dnsmasq is installed (scripts/test installs the Debian package)").isTrue();
    // dnsmasq binds the port for UDP and TCP: a port free for both now may still be taken before
    // it binds (by another test's socket), so a start that says "Address already in use" is
    // retried on another port, a bounded number of times
    for (int start = 0; start < 5; start++) {
      int port = freeUdpAndTcpPort();
      log.clear();
      InetSocketAddress dnsAddress = new InetSocketAddress("127.0.0.1", port);
      if (resolvers != null) {
        resolvers.close();
      }
      resolvers = Resolvers.dns(new SingletonDnsServerAddressStreamProvider(dnsAddress));
      dnsmasq = new ProcessBuilder(binary.toString(),
          "--keep-in-foreground", "--conf-file=/dev/null", "--pid-file=",
          "--user=" + System.getProperty("user.name"),
          "--no-resolv", "--no-hosts", "--addn-hosts=" + hosts,
          "--local=/redial.test/", // authoritative for the test domain: NXDOMAIN for the rest
          "--local-ttl=0", "--no-negcache",
          "--listen-address=127.0.0.1", "--bind-interfaces",
          "--port=" + port, "--log-queries", "--log-facility=-")
          .redirectErrorStream(true).start();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(dnsmasq.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            log.add(line);
          }
        } catch (IOException gone) {
          // dnsmasq ended
        }
      }, "dnsmasq-log");
      reader.setDaemon(true);
      reader.start();
      await().atMost(WAIT).until(() -> !dnsmasq.isAlive()
          || log.stream().anyMatch(l -> l.contains("read " + hosts)));
      if (dnsmasq.isAlive() || log.stream().noneMatch(l -> l.contains("Address already in use"))) {
        break;
      }
    }
    assertThat(dnsmasq.isAlive()).as("dnsmasq started: %s", log).isTrue();
  }

  private static int freeUdpAndTcpPort() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    for (int i = 0; i < 50; i++) {
      try (DatagramSocket udp = new DatagramSocket(0, loopback);
          ServerSocketChannel tcp = ServerSocketChannel.open()) {
        tcp.bind(new InetSocketAddress(loopback, udp.getLocalPort()));
        return udp.getLocalPort();
      } catch (java.net.BindException takenForTcp) {
        // try another
      }
    }
    throw new IOException("no port free for both UDP and TCP on 127.0.0.1 in 50 tries");
  }

  @AfterEach
  void stopDnsmasq() throws Exception {
    if (resolvers != null) {
      resolvers.close(); // its query sockets on every event loop it served
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
    if (dnsmasq != null) {
      dnsmasq.destroy();
      if (!dnsmasq.waitFor(10, TimeUnit.SECONDS)) {
        dnsmasq.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    Files.deleteIfExists(hosts);
    Files.deleteIfExists(dir);
  }

  /** Rewrites the hosts file and has dnsmasq read it again (SIGHUP). */
  private void records(String text) throws Exception {
    int before = (int) log.stream().filter(l -> l.contains("read " + hosts)).count();
    Files.writeString(hosts, text);
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(dnsmasq.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
    await().atMost(WAIT).until(() ->
        log.stream().filter(l -> l.contains("read " + hosts)).count() > before);
  }

  private ConnectionBuilder viaDnsmasq(String name, Recorder rec) {
    return Redial.connection(name)
        .resolver(resolvers)
        .backoff(Backoff.fixed(Duration.ofMillis(50)))
        .listener(rec);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"nio", "epoll"}) // the resolver's query channel fits either loop
  void aNameWithTwoAddressesWhoseFirstRefusesConnectsToTheSecond(String transport)
      throws Exception {
    Recorder rec = new Recorder();
    IoHandlerFactory factory = NioIoHandler.newFactory();
    if (transport.equals("epoll")) {
      assertThat(Epoll.isAvailable()).as("the epoll transport loads here").isTrue();
      factory = EpollIoHandler.newFactory();
    }
    group = new MultiThreadIoEventLoopGroup(1, factory);
    try (LoopbackServer server = LoopbackServer.start()) { // 127.0.0.1 only: 127.0.0.2 refuses
      records("127.0.0.2 two.redial.test\n127.0.0.1 two.redial.test\n");
      try (Connection c = viaDnsmasq("two", rec).endpoint("two.redial.test", server.port())
          .eventLoopGroup(group).build()) {
        c.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(rec.of(ConnectionEvent.AttemptFailed.class)).singleElement().satisfies(f -> {
          assertThat(f.endpoint()).isEqualTo("two.redial.test/127.0.0.2:" + server.port());
          assertThat(f.socketError().name()).isEqualTo("WSAECONNREFUSED");
          assertThat(f.nextDelay()).contains(Duration.ZERO);
        });
        assertThat(((ManagedConnection<?, ?>) c).remoteAddress())
            .isEqualTo(new InetSocketAddress("127.0.0.1", server.port()));
        await().atMost(WAIT).until(() -> server.accepted() == 1);
      }
    }
    assertThat(log).anyMatch(l -> l.contains("query[A] two.redial.test"));
  }

  @Test
  void whenTheRecordChangesTheNextReconnectFollowsTheServer() throws Exception {
    Recorder rec = new Recorder();
    try (LoopbackServer old = LoopbackServer.start()) {
      int port = old.port();
      try (ServerSocketChannel moved = ServerSocketChannel.open()) {
        moved.bind(new InetSocketAddress("127.0.0.3", port)); // the same port, elsewhere
        records("127.0.0.1 moving.redial.test\n");
        try (Connection c = viaDnsmasq("moving", rec).endpoint("moving.redial.test", port)
            .build()) {
          c.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(((ManagedConnection<?, ?>) c).remoteAddress())
              .isEqualTo(new InetSocketAddress("127.0.0.1", port));

          records("127.0.0.3 moving.redial.test\n"); // the record changes, dnsmasq re-reads
          old.stop(); // the old server goes away: the connection is lost and comes back

          await().atMost(WAIT).until(() -> c.state() == ConnectionState.CONNECTED
              && new InetSocketAddress("127.0.0.3", port)
                  .equals(((ManagedConnection<?, ?>) c).remoteAddress()));
          assertThat(rec.of(ConnectionEvent.AttemptStarted.class))
              .extracting(ConnectionEvent.AttemptStarted::endpoint)
              .allMatch(e -> e.equals("moving.redial.test:" + port));
          assertThat(c.stats().connects()).isEqualTo(2);
        }
      }
    }
  }

  @Test
  void nxdomainFailsTheAttemptWithHostNotFoundNamingTheHost() throws Exception {
    Recorder rec = new Recorder();
    try (Connection c = viaDnsmasq("missing", rec).endpoint("missing.redial.test", 4242)
        .maxAttempts(2).build()) {
      assertThatThrownBy(() -> c.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .cause().isInstanceOf(RedialException.class)
          .hasMessageContaining("missing.redial.test")
          .satisfies(e -> assertThat(((RedialException) e).error().name())
              .isEqualTo("WSAHOST_NOT_FOUND"));
      List<ConnectionEvent.AttemptFailed> failed = rec.of(ConnectionEvent.AttemptFailed.class);
      assertThat(failed).hasSize(2).allSatisfy(f -> {
        assertThat(f.socketError().name()).isEqualTo("WSAHOST_NOT_FOUND");
        assertThat(f.error()).hasMessageContaining("missing.redial.test");
      });
      assertThat(failed.get(0).nextDelay()).contains(Duration.ofMillis(50));
    }
    assertThat(log).anyMatch(l -> l.contains("missing.redial.test") && l.contains("NXDOMAIN"));
  }
}
