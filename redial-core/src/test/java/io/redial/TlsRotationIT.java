package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.pkitesting.X509Bundle;
import io.redial.testing.TestPki;
import io.redial.testing.TlsEchoServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tls(Supplier<SSLContext>)}: the context is asked at every attempt, so a rotated client
 * certificate is presented from the next connection on; mutual TLS against a real TLS server that
 * needs a client certificate; the endpoint's host name as SNI. Certificates are made here.
 */
class TlsRotationIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static X509Bundle serverCa;
  private static X509Bundle clientCa;
  private static SSLContext serverContext;

  @BeforeAll
  static void certificates() throws Exception {
    serverCa = TestPki.ca("CN=Redial Server CA");
    clientCa = TestPki.ca("CN=Redial Client CA");
    // the server trusts only client certificates issued by the client CA
    serverContext = TestPki.server(serverCa, clientCa);
  }

  /** A client context presenting a certificate for {@code subject}, trusting the server's CA. */
  private static SSLContext client(String subject) throws Exception {
    return TestPki.client(serverCa, clientCa, subject);
  }

  @Test
  void aRotatedClientCertificateIsPresentedAfterTheServerRestarts() throws Exception {
    AtomicReference<SSLContext> current = new AtomicReference<>(client("CN=client-one"));
    AtomicInteger asked = new AtomicInteger();
    List<byte[]> echoed = new CopyOnWriteArrayList<>();
    try (TlsEchoServer server = new TlsEchoServer(serverContext, true);
        Connection c = Redial.connection("rotating").endpoint(server.address("localhost"))
            .tls(() -> {
              asked.incrementAndGet();
              return current.get();
            })
            .backoff(Backoff.fixed(Duration.ofMillis(50))).onMessage(echoed::add).build()) {
      c.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      c.send("one".getBytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> echoed.size() == 1);
      assertThat(server.handshakes()).extracting(TlsEchoServer.Handshake::clientSubject)
          .containsExactly("CN=client-one");
      int askedBefore = asked.get();

      current.set(client("CN=client-two")); // the certificate is rotated
      server.restart();
      await().atMost(WAIT).until(() -> c.generation() >= 2
          && c.state() == ConnectionState.CONNECTED);
      c.send("two".getBytes()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> echoed.size() == 2);

      assertThat(server.handshakes()).extracting(TlsEchoServer.Handshake::clientSubject)
          .containsExactly("CN=client-one", "CN=client-two");
      assertThat(askedBefore).isEqualTo(1);
      // asked once per attempt, never once for the connection's life
      assertThat(asked.get()).isEqualTo((int) c.stats().attempts()).isGreaterThanOrEqualTo(2);
      assertThat(new String(echoed.get(1))).isEqualTo("two");
    }
  }

  @Test
  void withoutAClientCertificateTheServerThatNeedsOneRefusesTheHandshake() throws Exception {
    // TLS 1.2, where the server checks the client's certificate inside the handshake (TLS 1.3
    // lets the client finish its side first and reports the refusal after it)
    SSLContext noCertificate = SSLContext.getInstance("TLSv1.2");
    noCertificate.init(null, serverCa.toTrustManagerFactory().getTrustManagers(), null);
    try (TlsEchoServer server = new TlsEchoServer(serverContext, true);
        Connection c = Redial.connection("no-client-cert").endpoint(server.address("localhost"))
            .tls(noCertificate).maxAttempts(1).build()) {
      CompletionException e = assertThrows(CompletionException.class, () -> c.connect().join());
      RedialException r = (RedialException) e.getCause();
      assertThat(r.error().name()).as(r.getMessage()).startsWith("TLS_");
      assertThat(r).hasMessageContaining("TLS handshake");
      assertThat(server.handshakes()).isEmpty();
    }
  }

  @Test
  void theEndpointsHostNameIsSentAsSniEvenWithoutADot() throws Exception {
    try (TlsEchoServer server = new TlsEchoServer(serverContext, true);
        Connection c = Redial.connection("sni").endpoint(server.address("localhost"))
            .tls(client("CN=sni")).build()) {
      c.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> server.handshakes().size() == 1);
      assertThat(server.handshakes().get(0).serverName()).isEqualTo("localhost");
    }
  }

  @Test
  void anAddressLiteralSendsNoSni() throws Exception {
    try (TlsEchoServer server = new TlsEchoServer(serverContext, true);
        Connection c = Redial.connection("no-sni").endpoint("127.0.0.1", server.port())
            .tls(client("CN=literal")).hostnameVerification(false).build()) {
      c.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> server.handshakes().size() == 1);
      assertThat(server.handshakes().get(0))
          .isEqualTo(new TlsEchoServer.Handshake(null, "CN=literal"));
    }
  }

  @Test
  void aSupplierThatThrowsFailsThatAttemptOnlyAndIsAskedAgain() throws Exception {
    SSLContext good = client("CN=second-try");
    AtomicInteger asked = new AtomicInteger();
    List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
    try (TlsEchoServer server = new TlsEchoServer(serverContext, true);
        Connection c = Redial.connection("flaky-supplier").endpoint(server.address("localhost"))
            .tls(() -> {
              if (asked.incrementAndGet() == 1) {
                throw new IllegalStateException("key store is being replaced");
              }
              return good;
            })
            .backoff(Backoff.fixed(Duration.ofMillis(50))).listener(events::add).build()) {
      c.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      ConnectionEvent.AttemptFailed failed = events.stream()
          .filter(ConnectionEvent.AttemptFailed.class::isInstance)
          .map(ConnectionEvent.AttemptFailed.class::cast).findFirst().orElseThrow();
      assertThat(failed.socketError().name()).isEqualTo("TLS_CONTEXT_FAILED");
      assertThat(failed.error()).hasMessageContaining("key store is being replaced");
      assertThat(asked.get()).isEqualTo(2);
      await().atMost(WAIT).until(() -> server.handshakes().size() == 1);
      assertThat(server.handshakes().get(0).clientSubject()).isEqualTo("CN=second-try");
    }
  }

  @Test
  void aSupplierThatReturnsNullIsAClearFailure() throws Exception {
    try (TlsEchoServer server = new TlsEchoServer(serverContext, true);
        Connection c = Redial.connection("null-supplier").endpoint(server.address("localhost"))
            .tls(() -> null).maxAttempts(1).build()) {
      CompletionException e = assertThrows(CompletionException.class, () -> c.connect().join());
      RedialException r = (RedialException) e.getCause();
      assertThat(r.error().name()).isEqualTo("TLS_CONTEXT_FAILED");
      assertThat(r).hasMessageContaining("returned null");
      assertThat(server.handshakes()).isEmpty();
    }
  }
}
