package io.redial;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.pkitesting.X509Bundle;
import io.redial.testing.LoopbackServer;
import io.redial.testing.RealProxy;
import io.redial.testing.TestPki;
import io.redial.testing.TlsEchoServer;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * The README's proxy, TLS-rotation and keepalive examples, run against real servers (microsocks,
 * a TLS server that needs a client certificate, an echo server); and the README shows exactly
 * this code (the test compares them).
 */
class ReadmeTransportExampleIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  // --- README proxy example ---
  static Connection throughProxy(String host, int port, InetSocketAddress socks) {
    return Redial.connection("via-proxy")
        .endpoint(host, port)                                    // the proxy resolves the name
        .proxy(new Proxy(Proxy.Type.SOCKS, socks), "alice", "s3cret") // or Proxy.Type.HTTP
        .build();
  }
  // --- end of proxy example ---

  // --- README TLS rotation example ---
  static Connection mutualTls(String host, int port, AtomicReference<SSLContext> current) {
    return Redial.connection("mtls")
        .endpoint(host, port)                                    // also the SNI server name
        .tls(current::get)                                       // asked at every attempt
        .build();
  }
  // renewed certificate: current.set(renewed); the next connection presents it
  // --- end of TLS rotation example ---

  // --- README keepalive example ---
  static Connection tuned(String host, int port) {
    return Redial.connection("tuned")
        .endpoint(host, port)
        .tcpKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(10), 3) // idle peer: ~60 s
        .tcpUserTimeout(Duration.ofSeconds(20))                  // unacknowledged data: 20 s
        .build();                                                // NIO: IllegalStateException
  }
  // --- end of keepalive example ---

  @Test
  void theProxyExampleRunsThroughMicrosocks() throws Exception {
    try (LoopbackServer server = LoopbackServer.start();
        RealProxy socks = RealProxy.microsocks("alice", "s3cret");
        Connection c = throughProxy("127.0.0.1", server.port(),
            (InetSocketAddress) socks.proxy().address())) {
      StringBuffer seen = new StringBuffer(); // what the server read: a length, then the frame
      server.onBytes((ch, bytes) -> seen.append(new String(bytes, UTF_8)));
      c.connect().join();
      c.send("via socks".getBytes(UTF_8)).join();
      await().atMost(WAIT).until(() -> seen.toString().endsWith("via socks"));
      assertThat(server.accepted()).isEqualTo(1);
    }
  }

  @Test
  void theRotationExamplePresentsTheRenewedCertificateOnTheNextConnection() throws Exception {
    X509Bundle ca = TestPki.ca("CN=Example CA");
    SSLContext serverContext = TestPki.server(ca, ca);
    AtomicReference<SSLContext> current =
        new AtomicReference<>(TestPki.client(ca, ca, "CN=first"));
    try (TlsEchoServer server = new TlsEchoServer(serverContext, true);
        Connection c = mutualTls("localhost", server.port(), current)) {
      c.connect().join();
      current.set(TestPki.client(ca, ca, "CN=renewed"));
      c.reconnect();
      await().atMost(WAIT).until(() -> server.handshakes().size() == 2);
      assertThat(server.handshakes()).containsExactly(
          new TlsEchoServer.Handshake("localhost", "CN=first"),
          new TlsEchoServer.Handshake("localhost", "CN=renewed"));
    }
  }

  @Test
  void theKeepaliveExampleConnects() throws Exception {
    try (LoopbackServer server = LoopbackServer.start();
        Connection c = tuned("127.0.0.1", server.port())) {
      c.connect().join();
      assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void theReadmeShowsThisCode() throws Exception {
    String source = Files.readString(
        Path.of("src/test/java/io/redial/ReadmeTransportExampleIT.java"));
    String readme = normalize(Files.readString(Path.of("../README.md")));
    for (String name : new String[] {"proxy", "TLS rotation", "keepalive"}) {
      String start = "  // --- README " + name + " example ---\n";
      String example = source.substring(source.indexOf(start) + start.length(),
          source.indexOf("  // --- end of " + name + " example ---"));
      assertThat(readme).as(name).contains(normalize(example));
    }
  }

  private static String normalize(String code) {
    List<String> lines = code.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    return String.join("\n", lines);
  }
}
