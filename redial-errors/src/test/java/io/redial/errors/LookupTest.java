package io.redial.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every form a user pastes resolves to the right entry. */
class LookupTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "0X00002748", "0x00002748", "0x2748", "0x80072748", "0X80072748", "80072748", "10056",
      "WSAEISCONN", "wsaeisconn", "WsaEIsConn", "EISCONN", "eisconn", "106", "  106  ",
      "already connected", "Already connected", "Transport endpoint is already connected",
      "Socket is already connected",
      "A connect request was made on an already connected socket.",
      "java.nio.channels.AlreadyConnectedException", "AlreadyConnectedException",
      "java.net.SocketException: already connected",
      "Exception in thread \"main\" java.net.SocketException: Already connected",
      "connect() failed: WSAEISCONN (10056)",
      "-106"})
  void everyFormOfWsaeisconn(String query) {
    assertThat(name(SocketErrors.lookup(query))).isEqualTo("WSAEISCONN");
  }

  @ParameterizedTest(name = "{0} on {1} is {2}")
  @CsvSource({
      "106, LINUX, WSAEISCONN",
      "56, MACOS, WSAEISCONN",
      "111, LINUX, WSAECONNREFUSED",
      "61, MACOS, WSAECONNREFUSED",
      "104, LINUX, WSAECONNRESET",
      "54, MACOS, WSAECONNRESET",
      "115, LINUX, WSAEINPROGRESS",
      "36, MACOS, WSAEINPROGRESS",
      "36, LINUX, WSAENAMETOOLONG",
      "11, LINUX, WSAEWOULDBLOCK",
      "35, MACOS, WSAEWOULDBLOCK",
      "32, LINUX, BROKEN_PIPE",
      "10054, MACOS, WSAECONNRESET",
      "10061, LINUX, WSAECONNREFUSED",
      "997, LINUX, WSA_IO_PENDING",
      "87, WINDOWS, WSA_INVALID_PARAMETER",
      "87, LINUX, WSAEUSERS",
      "-111, LINUX, WSAECONNREFUSED",
      "-2147014842, LINUX, WSAECONNRESET"})
  void numbersDependOnTheOs(String query, Os os, String expected) {
    assertThat(name(SocketErrors.lookup(query, os))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "EAGAIN | WSAEWOULDBLOCK",
      "EWOULDBLOCK | WSAEWOULDBLOCK",
      "EPIPE | BROKEN_PIPE",
      "Broken pipe | BROKEN_PIPE",
      "ECANCELED | WSA_OPERATION_ABORTED",
      "ENOTSUP | WSAEOPNOTSUPP",
      "WSA_QOS_EUNKNOWNPSOBJ | WSA_QOS_EUNKOWNPSOBJ",
      "Connection refused | WSAECONNREFUSED",
      "java.net.ConnectException: Connection refused: connect | WSAECONNREFUSED",
      "No connection could be made because the target machine actively refused it | WSAECONNREFUSED",
      "Connection reset | WSAECONNRESET",
      "Connection reset by peer | WSAECONNRESET",
      "An existing connection was forcibly closed by the remote host | WSAECONNRESET",
      "No route to host | WSAEHOSTUNREACH",
      "Network is unreachable | WSAENETUNREACH",
      "Connection timed out | WSAETIMEDOUT",
      "Socket is closed | SOCKET_CLOSED",
      "java.nio.channels.ClosedChannelException | CHANNEL_CLOSED",
      "java.nio.channels.NotYetConnectedException | WSAENOTCONN",
      "java.nio.channels.ConnectionPendingException | WSAEALREADY",
      "java.nio.channels.UnresolvedAddressException | WSAHOST_NOT_FOUND",
      "java.net.UnknownHostException: nosuch.invalid | WSAHOST_NOT_FOUND",
      "javax.net.ssl.SSLHandshakeException | TLS_HANDSHAKE",
      "javax.net.ssl.SSLHandshakeException: PKIX path building failed | TLS_UNTRUSTED_CERTIFICATE",
      "io.netty.channel.ConnectTimeoutException | CONNECT_TIMEOUT",
      "io.netty.channel.ConnectTimeoutException: connection timed out: /127.0.0.1:9 | CONNECT_TIMEOUT",
      "connect_timeout | CONNECT_TIMEOUT",
      "error 10054 | WSAECONNRESET",
      "errno=104 | WSAECONNRESET",
      "Address already in use | WSAEADDRINUSE"})
  void namesMessagesAndClasses(String query, String expected) {
    assertThat(name(SocketErrors.lookup(query))).isEqualTo(expected);
  }

  @Test
  void everyEntryIsFoundByItsOwnName() {
    for (SocketError e : SocketErrors.all()) {
      assertThat(SocketErrors.lookup(e.name())).as(e.name()).contains(e);
      assertThat(SocketErrors.lookup(e.name().toLowerCase(java.util.Locale.ROOT))).contains(e);
    }
  }

  @Test
  void theNamesTheCoreNeedsAllResolve() {
    for (String name : new String[] {"WSAEISCONN", "WSAEALREADY", "WSAECONNREFUSED",
        "WSAECONNRESET", "WSAETIMEDOUT", "WSAEHOSTUNREACH", "WSAENETUNREACH", "WSAHOST_NOT_FOUND",
        "CONNECT_TIMEOUT", "TLS_HANDSHAKE", "TLS_UNTRUSTED_CERTIFICATE", "TLS_HOSTNAME_MISMATCH",
        "TLS_PROTOCOL", "CONNECTION_CLOSED", "CHANNEL_CLOSED", "QUEUE_FULL", "FRAME_TOO_LARGE",
        "HEARTBEAT_TIMEOUT", "BROKEN_PIPE", "UNKNOWN", "REQUEST_TIMEOUT", "CONNECTION_LOST",
        "QUEUE_TIMEOUT", "HANDSHAKE_FAILED", "HANDSHAKE_REJECTED", "CODEC_FAILED",
        "NO_ENDPOINTS", "NO_SOCKET_FILE"}) {
      assertThat(SocketErrors.lookup(name)).as(name).map(SocketError::name).contains(name);
    }
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"", "   ", "xyzzy", "0x", "0xZZ", "0x123456789", "99999999999999999999",
      "-", "+", "java.net.SocketException", "SocketException", "connected", "unknown error",
      "0x00000000", "0", "1", "12345", "Connection", "\u0000\u0001", "ＷＳＡＥＩＳＣＯＮＮ"})
  void unknownInputIsEmpty(String query) {
    assertThat(SocketErrors.lookup(query)).isEmpty();
  }

  @Test
  void anErrnoOfAnotherOsIsNotGuessed() {
    // 56 is EISCONN on macOS, but on Linux it is EBADRQC, which is no socket error.
    assertThat(SocketErrors.lookup("56", Os.LINUX)).isEmpty();
    // Windows reads small numbers as Win32 codes only: 106 is no Winsock code.
    assertThat(SocketErrors.lookup("106", Os.WINDOWS)).isEmpty();
  }

  @Test
  void nullIsEmpty() {
    assertThat(SocketErrors.lookup(null)).isEmpty();
    assertThat(SocketErrors.lookup("10056", null)).isEmpty();
  }

  @Test
  void aMegabyteQueryIsCutAndAnswered() {
    String junk = "x".repeat(1 << 20);
    assertThat(SocketErrors.lookup(junk)).isEmpty();
    assertThat(SocketErrors.lookup("Connection refused " + junk)).map(SocketError::name)
        .contains("WSAECONNREFUSED");
  }

  @Test
  void closestSuggestsNearNames() {
    assertThat(SocketErrors.closest("WSAECONRESET", 3)).extracting(SocketError::name)
        .startsWith("WSAECONNRESET");
    assertThat(SocketErrors.closest("econnrefsed", 3)).extracting(SocketError::name)
        .contains("WSAECONNREFUSED");
    assertThat(SocketErrors.closest("10055x", 3)).extracting(SocketError::name)
        .contains("WSAENOBUFS");
    assertThat(SocketErrors.closest("QOS", 40)).allMatch(e -> e.name().contains("QOS"));
    assertThat(SocketErrors.closest("conection refused", 3)).extracting(SocketError::name)
        .startsWith("WSAECONNREFUSED");
    assertThat(SocketErrors.closest("Connection reset by per", 3)).extracting(SocketError::name)
        .startsWith("WSAECONNRESET");
    assertThat(SocketErrors.closest("half-open", 3)).extracting(SocketError::name)
        .contains("HEARTBEAT_TIMEOUT");
    assertThat(SocketErrors.closest("", 3)).isEmpty();
    assertThat(SocketErrors.closest("WSAEISCONN", 0)).isEmpty();
    assertThat(SocketErrors.closest("q".repeat(100_000), 3)).isEmpty();
  }

  private static String name(Optional<SocketError> e) {
    return e.map(SocketError::name).orElse("<none>");
  }
}
