package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.redial.testing.EchoMain;
import io.redial.testing.HostilePeer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS against a real TLS server started here, with certificates made here. */
class TlsIT {
  private static X509Bundle ca;
  private static SSLServerSocket server;
  private static Thread acceptor;

  @BeforeAll
  static void startServer() throws Exception {
    ca = new CertificateBuilder().subject("CN=Redial Test CA").setIsCertificateAuthority(true)
        .ecp256().buildSelfSigned();
    X509Bundle leaf = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
        .addExtendedKeyUsageServerAuth().ecp256().buildIssuedBy(ca);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(leaf.toKeyManagerFactory().getKeyManagers(), null, null);
    server = (SSLServerSocket) serverContext.getServerSocketFactory()
        .createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          Thread t = new Thread(() -> EchoMain.echo(s), "tls-echo");
          t.setDaemon(true);
          t.start();
        } catch (Exception e) {
          return;
        }
      }
    }, "tls-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private static InetSocketAddress as(String host) throws Exception {
    return new InetSocketAddress(
        InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}), server.getLocalPort());
  }

  private static SSLContext trusting(X509Bundle root) throws Exception {
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(null, root.toTrustManagerFactory().getTrustManagers(), null);
    return c;
  }

  private static RedialException failure(Connection c) {
    CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(
        CompletionException.class, () -> c.connect().join());
    return (RedialException) e.getCause();
  }

  @Test
  void aTrustedCertificateForTheHostWorks() throws Exception {
    List<byte[]> echoed = new CopyOnWriteArrayList<>();
    try (Connection c = Redial.connection("tls").endpoint(as("localhost"))
        .tls(trusting(ca)).onMessage(echoed::add).build()) {
      c.connect().get(10, TimeUnit.SECONDS);
      c.send("over TLS".getBytes()).get(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> echoed.size() == 1);
      assertThat(new String(echoed.get(0))).isEqualTo("over TLS");
    }
  }

  @Test
  void anUntrustedCertificateFailsWithItsOwnError() throws Exception {
    X509Bundle otherCa = new CertificateBuilder().subject("CN=Someone Else")
        .setIsCertificateAuthority(true).ecp256().buildSelfSigned();
    try (Connection c = Redial.connection("untrusted").endpoint(as("localhost"))
        .tls(trusting(otherCa)).maxAttempts(1).build()) {
      RedialException e = failure(c);
      assertThat(e.error().name()).isEqualTo("TLS_UNTRUSTED_CERTIFICATE");
      assertThat(e).hasMessageContaining("TLS handshake");
    }
  }

  @Test
  void aCertificateForAnotherHostFailsWithItsOwnError() throws Exception {
    try (Connection c = Redial.connection("mismatch").endpoint(as("127.0.0.1"))
        .tls(trusting(ca)).maxAttempts(1).build()) {
      RedialException e = failure(c);
      assertThat(e.error().name()).isEqualTo("TLS_HOSTNAME_MISMATCH");
    }
  }

  @Test
  void hostnameVerificationCanBeTurnedOffForPrivatePkis() throws Exception {
    try (Connection c = Redial.connection("no-verify").endpoint(as("127.0.0.1"))
        .tls(trusting(ca)).hostnameVerification(false).build()) {
      c.connect().get(10, TimeUnit.SECONDS);
      assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void garbageInsteadOfAHandshakeIsAProtocolError() throws Exception {
    try (HostilePeer peer = new HostilePeer((socket, out) -> {
          out.write("HTTP/1.1 400 Bad Request\r\n\r\nthis is not TLS".getBytes());
          out.flush();
          socket.getInputStream().read();
        });
        Connection c = Redial.connection("garbage").endpoint(peer.address())
            .tls(trusting(ca)).maxAttempts(1).build()) {
      RedialException e = failure(c);
      assertThat(e.error().name()).isEqualTo("TLS_PROTOCOL");
      assertThatThrownBy(() -> c.send(new byte[1]).join()).cause()
          .isInstanceOf(RedialException.class);
    }
  }
}
