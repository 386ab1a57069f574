package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.pkitesting.X509Bundle;
import io.redial.testing.CapturingLines;
import io.redial.testing.LoopbackServer;
import io.redial.testing.RealProxy;
import io.redial.testing.TestPki;
import io.redial.testing.TlsEchoServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proxies for real: microsocks (SOCKS5) and tinyproxy (HTTP CONNECT), started here on loopback,
 * in front of a real echo server. Each failure the proxies can report has its own catalog entry.
 */
class ProxyIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private LoopbackServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = LoopbackServer.start();
    toClose.add(server);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T t) {
    toClose.add(t);
    return t;
  }

  private MessageConnectionBuilder<String> lines(String name, CapturingLines lines) {
    return Redial.connection(name, lines.codec()).endpoint(server.address())
        .onMessage(lines::add).backoff(Backoff.fixed(Duration.ofMillis(50)));
  }

  /** Connects, sends a line, and checks it came back through the proxy. */
  private void echoesThrough(RealProxy proxy, MessageConnection<String> c, CapturingLines lines)
      throws Exception {
    c.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    c.send("hello through " + proxy.proxy().type()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> lines.received().size() == 1);
    assertThat(lines.received()).containsExactly("hello through " + proxy.proxy().type());
    // the socket Redial opened goes to the proxy, not to the server
    assertThat(((InetSocketAddress) lines.last().remoteAddress()).getPort())
        .isEqualTo(proxy.port()).isNotEqualTo(server.port());
  }

  private static RedialException failure(MessageConnection<String> c) {
    CompletionException e = assertThrows(CompletionException.class, () -> c.connect().join());
    assertThat(e.getCause()).isInstanceOf(RedialException.class);
    return (RedialException) e.getCause();
  }

  /** A loopback port nobody listens on. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  // ---- SOCKS5: microsocks -------------------------------------------------------------------

  @Test
  void socks5WithoutCredentials() throws Exception {
    RealProxy proxy = closing(RealProxy.microsocks());
    CapturingLines lines = new CapturingLines();
    MessageConnection<String> c =
        closing(lines("socks", lines).proxy(proxy.proxy()).build());
    echoesThrough(proxy, c, lines);
  }

  @Test
  void socks5WithUserAndPassword() throws Exception {
    RealProxy proxy = closing(RealProxy.microsocks("alice", "s3cret"));
    CapturingLines lines = new CapturingLines();
    MessageConnection<String> c = closing(
        lines("socks-auth", lines).proxy(proxy.proxy(), "alice", "s3cret").build());
    echoesThrough(proxy, c, lines);
  }

  @Test
  void socks5WithAWrongPasswordIsAnAuthenticationFailure() throws Exception {
    RealProxy proxy = closing(RealProxy.microsocks("alice", "s3cret"));
    MessageConnection<String> c = closing(lines("socks-bad-password", new CapturingLines())
        .proxy(proxy.proxy(), "alice", "letmein-bad").maxAttempts(1).build());
    RedialException e = failure(c);
    assertThat(e.error().name()).as(e.getMessage()).isEqualTo("PROXY_AUTH_FAILED");
    assertThat(e.getMessage()).contains("SOCKS5 proxy 127.0.0.1:" + proxy.port())
        .contains("user 'alice'").doesNotContain("letmein-bad");
    assertThat(server.accepted()).isZero();
  }

  @Test
  void socks5WithoutTheCredentialsItNeedsIsAnAuthenticationFailure() throws Exception {
    RealProxy proxy = closing(RealProxy.microsocks("alice", "s3cret"));
    MessageConnection<String> c = closing(lines("socks-none", new CapturingLines())
        .proxy(proxy.proxy()).maxAttempts(1).build());
    RedialException e = failure(c);
    assertThat(e.error().name()).as(e.getMessage()).isEqualTo("PROXY_AUTH_FAILED");
  }

  @Test
  void socks5ToAClosedPortIsAnUnreachableTarget() throws Exception {
    RealProxy proxy = closing(RealProxy.microsocks());
    MessageConnection<String> c = closing(Redial.connection("socks-closed",
            new CapturingLines().codec()).endpoint("127.0.0.1", closedPort())
        .proxy(proxy.proxy()).maxAttempts(1).build());
    RedialException e = failure(c);
    assertThat(e.error().name()).as(e.getMessage()).isEqualTo("PROXY_TARGET_UNREACHABLE");
  }

  @Test
  void aProxyThatIsNotRunningIsARefusedConnectionToTheProxy() throws Exception {
    int port = closedPort();
    MessageConnection<String> c = closing(lines("no-proxy-running", new CapturingLines())
        .proxy(new java.net.Proxy(java.net.Proxy.Type.SOCKS,
            new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port)))
        .maxAttempts(1).build());
    RedialException e = failure(c);
    assertThat(e.error().name()).as(e.getMessage()).isEqualTo("WSAECONNREFUSED");
    assertThat(e.getMessage()).contains("through SOCKS5 proxy 127.0.0.1:" + port);
    assertThat(server.accepted()).isZero();
  }

  @Test
  void aProxyThatNeverAnswersIsBoundedByTheConnectTimeout() throws Exception {
    // a "proxy" that accepts and stays silent: the attempt's connect timer bounds the tunnel too
    LoopbackServer silent = closing(LoopbackServer.start(LoopbackServer.Mode.SILENT_ACCEPT));
    MessageConnection<String> c = closing(lines("silent-proxy", new CapturingLines())
        .proxy(new java.net.Proxy(java.net.Proxy.Type.SOCKS, new InetSocketAddress(
            java.net.InetAddress.getLoopbackAddress(), silent.port())))
        .connectTimeout(Duration.ofMillis(300)).maxAttempts(1).build());
    RedialException e = failure(c);
    assertThat(e.error().name()).as(e.getMessage()).isEqualTo("CONNECT_TIMEOUT");
    // CLOSED only once the socket to the proxy is closed (its close was reported)
    await().atMost(WAIT).until(() -> c.state() == ConnectionState.CLOSED);
    assertThat(server.accepted()).isZero();
  }

  @Test
  void afterTheServerDropsTheConnectionTheNextChannelGoesThroughTheProxyAgain() throws Exception {
    RealProxy proxy = closing(RealProxy.microsocks());
    CapturingLines lines = new CapturingLines();
    MessageConnection<String> c =
        closing(lines("socks-reconnect", lines).proxy(proxy.proxy()).build());
    echoesThrough(proxy, c, lines);
    server.closeAll();
    await().atMost(WAIT).until(() -> c.generation() >= 2
        && c.state() == ConnectionState.CONNECTED);
    c.send("again").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> lines.received().contains("again"));
    assertThat(lines.channels()).hasSizeGreaterThanOrEqualTo(2).allSatisfy(ch ->
        assertThat(((InetSocketAddress) ch.remoteAddress()).getPort()).isEqualTo(proxy.port()));
    assertThat(server.accepted()).isGreaterThanOrEqualTo(2);
    assertThat(server.maxOpen()).isEqualTo(1);
  }

  @Test
  void tlsRunsEndToEndInsideTheSocksTunnelWithTheEndpointsNameAsSni() throws Exception {
    X509Bundle ca = TestPki.ca("CN=Proxy Test CA");
    SSLContext serverContext = TestPki.server(ca, null);
    SSLContext clientContext = TestPki.client(ca, null, null);
    TlsEchoServer tls = closing(new TlsEchoServer(serverContext, false));
    RealProxy proxy = closing(RealProxy.microsocks());
    CapturingLines lines = new CapturingLines();
    MessageConnection<String> c = closing(Redial.connection("socks-tls", lines.codec())
        .endpoint(tls.address("localhost")).proxy(proxy.proxy()).tls(clientContext)
        .onMessage(lines::add).build());
    c.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    c.send("secret").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> lines.received().contains("secret"));
    assertThat(tls.handshakes()).containsExactly(new TlsEchoServer.Handshake("localhost", null));
    assertThat(((InetSocketAddress) lines.last().remoteAddress()).getPort())
        .isEqualTo(proxy.port());
  }

  // ---- HTTP CONNECT: tinyproxy ----------------------------------------------------------------

  @Test
  void httpConnectWithoutCredentials() throws Exception {
    RealProxy proxy = closing(RealProxy.tinyproxy(null, null, server.port()));
    CapturingLines lines = new CapturingLines();
    MessageConnection<String> c =
        closing(lines("http", lines).proxy(proxy.proxy()).build());
    echoesThrough(proxy, c, lines);
    assertThat(proxy.log()).contains("CONNECT 127.0.0.1:" + server.port());
  }

  @Test
  void httpConnectWithBasicAuthentication() throws Exception {
    RealProxy proxy = closing(RealProxy.tinyproxy("bob", "pa55word", server.port()));
    CapturingLines lines = new CapturingLines();
    MessageConnection<String> c = closing(
        lines("http-auth", lines).proxy(proxy.proxy(), "bob", "pa55word").build());
    echoesThrough(proxy, c, lines);
  }

  @Test
  void httpConnectWithoutOrWithWrongCredentialsIsAnAuthenticationFailure() throws Exception {
    RealProxy proxy = closing(RealProxy.tinyproxy("bob", "pa55word", server.port()));
    MessageConnection<String> none = closing(lines("http-no-auth", new CapturingLines())
        .proxy(proxy.proxy()).maxAttempts(1).build());
    RedialException e = failure(none);
    assertThat(e.error().name()).as(e.getMessage()).isEqualTo("PROXY_AUTH_FAILED");
    assertThat(e.getMessage()).contains("407");
    MessageConnection<String> wrong = closing(lines("http-wrong-auth", new CapturingLines())
        .proxy(proxy.proxy(), "bob", "nope").maxAttempts(1).build());
    e = failure(wrong);
    assertThat(e.error().name()).as(e.getMessage()).isEqualTo("PROXY_AUTH_FAILED");
    assertThat(server.accepted()).isZero();
  }

  @Test
  void aPortTheHttpProxyDoesNotAllowIsRefusedByTheProxy() throws Exception {
    RealProxy proxy = closing(RealProxy.tinyproxy(null, null, closedPort()));
    MessageConnection<String> c = closing(lines("http-refused", new CapturingLines())
        .proxy(proxy.proxy()).maxAttempts(1).build());
    RedialException e = failure(c);
    assertThat(e.error().name()).as(e.getMessage()).isEqualTo("PROXY_REFUSED");
    assertThat(e.getMessage()).contains("403");
    assertThat(server.accepted()).isZero();
  }

  @Test
  void httpConnectToAClosedPortIsAnUnreachableTarget() throws Exception {
    int closed = closedPort();
    RealProxy proxy = closing(RealProxy.tinyproxy(null, null, closed));
    MessageConnection<String> c = closing(Redial.connection("http-closed",
            new CapturingLines().codec()).endpoint("127.0.0.1", closed)
        .proxy(proxy.proxy()).maxAttempts(1).build());
    RedialException e = failure(c);
    assertThat(e.error().name()).as(e.getMessage()).isEqualTo("PROXY_TARGET_UNREACHABLE");
  }

  @Test
  void aFailedProxyAttemptBacksOffAndConnectsOnceTheProxyAllowsIt() throws Exception {
    // the first proxy refuses the port; then one that allows it takes its place
    RealProxy refusing = RealProxy.tinyproxy(null, null, closedPort());
    int port = refusing.port();
    List<ConnectionEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    CapturingLines lines = new CapturingLines();
    MessageConnection<String> c = closing(lines("http-recovers", lines).proxy(refusing.proxy())
        .listener(events::add).build());
    try (refusing) {
      c.connect();
      await().atMost(WAIT).until(() -> events.stream()
          .anyMatch(ev -> ev instanceof ConnectionEvent.AttemptFailed f
              && f.socketError().name().equals("PROXY_REFUSED")));
    }
    RealProxy allowing = closing(RealProxy.tinyproxyOn(port, server.port()));
    c.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    c.send("finally").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> lines.received().contains("finally"));
    assertThat(allowing.log()).contains("CONNECT 127.0.0.1:" + server.port());
  }
}
