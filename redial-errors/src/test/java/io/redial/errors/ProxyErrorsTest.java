package io.redial.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.proxy.HttpProxyHandler.HttpProxyConnectException;
import io.netty.handler.proxy.ProxyConnectException;
import java.io.StringReader;
import java.net.ConnectException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Proxy failures, in the words Netty's proxy handlers use with what microsocks and tinyproxy
 * answer (the messages the proxy tests in redial-core saw from the real programs).
 */
class ProxyErrorsTest {
  private static final String SOCKS = "socks5, none, /127.0.0.1:1080 => /127.0.0.1:7000, ";
  private static final String SOCKS_AUTH = "socks5, password, /127.0.0.1:1080 => /127.0.0.1:7000, ";
  private static final String HTTP = "http, none, /127.0.0.1:8888 => 127.0.0.1:7000, ";
  private static final String HTTP_AUTH = "http, basic, /127.0.0.1:8888 => 127.0.0.1:7000, ";

  static Stream<Arguments> failures() {
    return Stream.of(
        // microsocks: a user/password proxy offered no credentials answers method 255
        Arguments.of(new ProxyConnectException(SOCKS + "unexpected authMethod: UNACCEPTED(255)"),
            "PROXY_AUTH_FAILED"),
        // microsocks: a wrong password answers status 2 (Netty knows only 0 and 255 by name)
        Arguments.of(new ProxyConnectException(SOCKS_AUTH + "authStatus: UNKNOWN(2)"),
            "PROXY_AUTH_FAILED"),
        Arguments.of(new ProxyConnectException(SOCKS_AUTH + "authStatus: FAILURE(255)"),
            "PROXY_AUTH_FAILED"),
        // tinyproxy: no credentials 407, wrong ones 401
        Arguments.of(new HttpProxyConnectException(
            HTTP + "status: 407 Proxy Authentication Required"), "PROXY_AUTH_FAILED"),
        Arguments.of(new HttpProxyConnectException(HTTP_AUTH + "status: 401 Unauthorized"),
            "PROXY_AUTH_FAILED"),
        // refused by the proxy's rules, or the proxy hung up
        Arguments.of(new ProxyConnectException(SOCKS + "status: FORBIDDEN(2)"), "PROXY_REFUSED"),
        Arguments.of(new HttpProxyConnectException(HTTP + "status: 403 Access violation"),
            "PROXY_REFUSED"),
        Arguments.of(new ProxyConnectException(SOCKS + "disconnected"), "PROXY_REFUSED"),
        Arguments.of(new ProxyConnectException(SOCKS + "something new"), "PROXY_REFUSED"),
        // the proxy could not reach the endpoint
        Arguments.of(new ProxyConnectException(SOCKS + "status: CONNECTION_REFUSED(5)"),
            "PROXY_TARGET_UNREACHABLE"),
        Arguments.of(new ProxyConnectException(SOCKS + "status: HOST_UNREACHABLE(4)"),
            "PROXY_TARGET_UNREACHABLE"),
        Arguments.of(new ProxyConnectException(SOCKS + "status: FAILURE(1)"),
            "PROXY_TARGET_UNREACHABLE"),
        Arguments.of(new HttpProxyConnectException(HTTP + "status: 500 Unable to connect"),
            "PROXY_TARGET_UNREACHABLE"),
        Arguments.of(new HttpProxyConnectException(HTTP + "status: 502 Bad Gateway"),
            "PROXY_TARGET_UNREACHABLE"),
        // the same exceptions wrapped, as a RedialException carries them
        Arguments.of(new RuntimeException("connection 'x' generation 1: the proxy failed",
            new ProxyConnectException(SOCKS + "status: CONNECTION_REFUSED(5)")),
            "PROXY_TARGET_UNREACHABLE"));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void eachProxyFailureHasItsOwnEntry(Throwable t, String expected) {
    assertThat(SocketErrors.of(t)).map(SocketError::name).contains(expected);
  }

  @Test
  void aWordOfTheProxyRepliesAloneIsNotAProxyError() {
    // "disconnected" counts only beside a proxy exception; a refusal by the endpoint itself
    // stays a refused connection
    assertThat(SocketErrors.of(new ConnectException("client disconnected")))
        .map(SocketError::name).isNotEqualTo(java.util.Optional.of("PROXY_REFUSED"));
    assertThat(SocketErrors.of(new ConnectException("Connection refused")))
        .map(SocketError::name).contains("WSAECONNREFUSED");
  }

  @Test
  void theEntriesAreFoundByNameAndInLogs() {
    for (String name : new String[] {"PROXY_REFUSED", "PROXY_AUTH_FAILED",
        "PROXY_TARGET_UNREACHABLE", "TLS_CONTEXT_FAILED"}) {
      assertThat(SocketErrors.lookup(name)).map(SocketError::kind).contains(Kind.REDIAL);
    }
    String log = "WARN attempt failed: io.netty.handler.proxy.HttpProxyHandler$HttpProxyConnect"
        + "Exception: " + HTTP + "status: 403 Access violation\n";
    assertThat(SocketErrors.scan(new StringReader(log))).extracting(f -> f.error().name())
        .containsExactly("PROXY_REFUSED");
  }
}
