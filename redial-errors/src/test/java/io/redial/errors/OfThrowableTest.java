package io.redial.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link SocketErrors#of(Throwable)} classifies what the JDK, Netty and TLS throw. */
class OfThrowableTest {

  /** Netty's DecoderException: a generic wrapper whose message repeats its cause. */
  static final class DecoderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DecoderException(Throwable cause) {
      super(cause);
    }
  }

  /** Like Netty's StacklessClosedChannelException: an unlisted subclass of a listed class. */
  static final class QuietClosedChannel extends ClosedChannelException {
    private static final long serialVersionUID = 1L;
  }

  static Stream<Arguments> throwables() {
    return Stream.of(
        Arguments.of(new ConnectException("Connection refused"), "WSAECONNREFUSED"),
        Arguments.of(new ConnectException("Connection refused: connect"), "WSAECONNREFUSED"),
        Arguments.of(new SocketException("connect(..) failed: Connection refused"),
            "WSAECONNREFUSED"),
        Arguments.of(new SocketException("Connection reset"), "WSAECONNRESET"),
        Arguments.of(new IOException("Connection reset by peer"), "WSAECONNRESET"),
        Arguments.of(new SocketException("already connected"), "WSAEISCONN"),
        Arguments.of(new SocketException("Already connected"), "WSAEISCONN"),
        Arguments.of(new AlreadyConnectedException(), "WSAEISCONN"),
        Arguments.of(new ConnectionPendingException(), "WSAEALREADY"),
        Arguments.of(new ConnectTimeoutException("connection timed out after 3000 ms: /127.0.0.1:9"),
            "CONNECT_TIMEOUT"),
        Arguments.of(new UnknownHostException("nosuch.invalid"), "WSAHOST_NOT_FOUND"),
        Arguments.of(new UnresolvedAddressException(), "WSAHOST_NOT_FOUND"),
        Arguments.of(new SSLHandshakeException("PKIX path building failed: "
            + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid "
            + "certification path to requested target"), "TLS_UNTRUSTED_CERTIFICATE"),
        Arguments.of(new SSLHandshakeException("Received fatal alert: certificate_unknown"),
            "TLS_UNTRUSTED_CERTIFICATE"),
        Arguments.of(new SSLHandshakeException("No subject alternative DNS name matching "
            + "example.invalid found."), "TLS_HOSTNAME_MISMATCH"),
        Arguments.of(new SSLHandshakeException("No name matching localhost found"),
            "TLS_HOSTNAME_MISMATCH"),
        Arguments.of(withCause(new SSLHandshakeException("General SSLEngine problem"),
            new CertificateException("Certificate for <127.0.0.1> doesn't match any of the "
                + "subject alternative names")), "TLS_HOSTNAME_MISMATCH"),
        Arguments.of(new SSLHandshakeException("Received fatal alert: protocol_version"),
            "TLS_PROTOCOL"),
        Arguments.of(new SSLHandshakeException("No appropriate protocol (protocol is disabled or "
            + "cipher suites are inappropriate)"), "TLS_PROTOCOL"),
        Arguments.of(new DecoderException(new IllegalArgumentException(
            "not an SSL/TLS record: 48454c4c4f")), "TLS_PROTOCOL"),
        Arguments.of(new SSLHandshakeException("Remote host terminated the handshake"),
            "TLS_HANDSHAKE"),
        Arguments.of(new SSLHandshakeException("something nobody has seen before"),
            "TLS_HANDSHAKE"),
        Arguments.of(new ClosedChannelException(), "CHANNEL_CLOSED"),
        Arguments.of(new QuietClosedChannel(), "CHANNEL_CLOSED"),
        Arguments.of(new AsynchronousCloseException(), "WSA_OPERATION_ABORTED"),
        Arguments.of(new IOException("Broken pipe"), "BROKEN_PIPE"),
        Arguments.of(new NoRouteToHostException("No route to host"), "WSAEHOSTUNREACH"),
        Arguments.of(new ConnectException("Network is unreachable"), "WSAENETUNREACH"),
        Arguments.of(new ConnectException("Connection timed out"), "WSAETIMEDOUT"),
        Arguments.of(new SocketException("Socket is closed"), "SOCKET_CLOSED"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("throwables")
  void classifies(Throwable t, String expected) {
    assertThat(SocketErrors.of(t)).map(SocketError::name).contains(expected);
  }

  @Test
  void walksCausesToTheRootCause() {
    Throwable t = new ExecutionException(new CompletionException(
        new UncheckedIOException(new SocketException("Connection reset"))));
    assertThat(SocketErrors.of(t)).map(SocketError::name).contains("WSAECONNRESET");
  }

  @Test
  void theDeepestSpecificMatchWinsOverAGenericWrapper() {
    // Netty: DecoderException(SSLHandshakeException(ValidatorException(...))); the wrapper's
    // message repeats the cause's toString.
    SSLHandshakeException handshake = new SSLHandshakeException("General SSLEngine problem");
    handshake.initCause(new CertificateException("PKIX path building failed"));
    assertThat(SocketErrors.of(new DecoderException(handshake))).map(SocketError::name)
        .contains("TLS_UNTRUSTED_CERTIFICATE");
  }

  @Test
  void aRootCauseExplainsAClosedChannel() {
    ClosedChannelException closed = new ClosedChannelException();
    closed.initCause(new IOException("Connection reset by peer"));
    assertThat(SocketErrors.of(closed)).map(SocketError::name).contains("WSAECONNRESET");
  }

  @Test
  void findsSuppressedExceptions() {
    IOException top = new IOException("close failed");
    top.addSuppressed(new SocketException("Broken pipe"));
    assertThat(SocketErrors.of(top)).map(SocketError::name).contains("BROKEN_PIPE");
  }

  @Test
  void survivesCyclesAndDeepChains() {
    Exception a = new Exception("a");
    Exception b = new Exception("b", a);
    a.addSuppressed(b);
    assertThat(SocketErrors.of(a)).isEmpty();

    Throwable deep = new SocketException("Connection refused");
    for (int i = 0; i < 10_000; i++) {
      deep = new RuntimeException("wrapper " + i, deep);
    }
    assertThat(SocketErrors.of(deep)).isEmpty(); // beyond the bound: not found, not a crash
  }

  @Test
  void survivesThrowablesThatThrow() {
    RuntimeException hostile = new RuntimeException() {
      private static final long serialVersionUID = 1L;

      @Override
      public String getMessage() {
        throw new IllegalStateException("no message for you");
      }

      @Override
      public synchronized Throwable getCause() {
        throw new IllegalStateException("no cause either");
      }
    };
    assertThat(SocketErrors.of(hostile)).isEmpty();
    assertThat(SocketErrors.of(null)).isEmpty();
  }

  @Test
  void unrecognisedIsEmpty() {
    assertThat(SocketErrors.of(new IllegalArgumentException("port out of range"))).isEmpty();
    assertThat(SocketErrors.of(new SocketException("something else"))).isEmpty();
  }

  private static Throwable withCause(Throwable t, Throwable cause) {
    t.initCause(cause);
    return t;
  }
}
