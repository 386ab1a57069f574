package io.redial;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.internal.ConnectionConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.time.Duration;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/** The builder's proxy, TLS-supplier and socket-knob setters: bad input and what they record. */
class TransportOptionsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Proxy SOCKS =
      new Proxy(Proxy.Type.SOCKS, new InetSocketAddress(LOOPBACK, 1080));
  private static final Proxy HTTP =
      new Proxy(Proxy.Type.HTTP, new InetSocketAddress(LOOPBACK, 3128));

  private static ConnectionBuilder b() {
    return Redial.connection("t").endpoint("127.0.0.1", 7000);
  }

  private static Arguments bad(String parameter, String detail, ThrowingCallable call) {
    return Arguments.of(parameter, detail, call);
  }

  /** Run by {@link ConnectionBuilderTest}'s check of every bad value. */
  static Stream<Arguments> invalid() {
    String long256 = "x".repeat(256);
    return Stream.of(
        bad("proxy", "Proxy.NO_PROXY", () -> b().proxy(Proxy.NO_PROXY)),
        bad("proxy", "must not be null", () -> b().proxy(null)),
        bad("proxy address", "is unresolved", () -> b().proxy(new Proxy(Proxy.Type.SOCKS,
            InetSocketAddress.createUnresolved("proxy.example", 1080)))),
        bad("proxy port", "but was 0",
            () -> b().proxy(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress(LOOPBACK, 0)))),
        bad("proxy username", "must not be null", () -> b().proxy(SOCKS, null, "pw")),
        bad("proxy password", "must not be null", () -> b().proxy(SOCKS, "alice", null)),
        bad("proxy username", "must not be empty", () -> b().proxy(SOCKS, "", "pw")),
        bad("proxy username", "':'", () -> b().proxy(HTTP, "a:b", "pw")),
        bad("proxy username", "but was 256 bytes", () -> b().proxy(SOCKS, long256, "pw")),
        bad("proxy password", "but was 256 bytes", () -> b().proxy(SOCKS, "alice", long256)),
        bad("proxy", "Proxy.NO_PROXY", () -> b().proxy(Proxy.NO_PROXY, "alice", "pw")),
        bad("tcpKeepAlive idle", "whole number of seconds",
            () -> b().tcpKeepAlive(Duration.ofMillis(1500), Duration.ofSeconds(1), 3)),
        bad("tcpKeepAlive idle", "positive duration",
            () -> b().tcpKeepAlive(Duration.ZERO, Duration.ofSeconds(1), 3)),
        bad("tcpKeepAlive interval", "but was PT9H6M8S",
            () -> b().tcpKeepAlive(Duration.ofSeconds(60), Duration.ofSeconds(32_768), 3)),
        bad("tcpKeepAlive interval", "must not be null",
            () -> b().tcpKeepAlive(Duration.ofSeconds(60), null, 3)),
        bad("tcpKeepAlive count", "1..127, but was 0",
            () -> b().tcpKeepAlive(Duration.ofSeconds(60), Duration.ofSeconds(5), 0)),
        bad("tcpKeepAlive count", "but was 128",
            () -> b().tcpKeepAlive(Duration.ofSeconds(60), Duration.ofSeconds(5), 128)),
        bad("tcpUserTimeout", "positive duration", () -> b().tcpUserTimeout(Duration.ZERO)),
        bad("tcpUserTimeout", "whole number of milliseconds",
            () -> b().tcpUserTimeout(Duration.ofNanos(1_500_000))));
  }

  @Test
  void aProxyIsRecordedWithoutShowingItsPassword() {
    ConnectionConfig<byte[]> config = TestConfigs.of(b().proxy(SOCKS, "alice", "s3cret"));
    assertThat(config.proxy().type()).isEqualTo(Proxy.Type.SOCKS);
    assertThat(config.proxy().address()).isEqualTo(SOCKS.address());
    assertThat(config.proxy().username()).isEqualTo("alice");
    assertThat(config.proxy()).hasToString("SOCKS5 proxy 127.0.0.1:1080 (user 'alice')");
    assertThat(config.proxy().toString()).doesNotContain("s3cret");
    assertThat(TestConfigs.of(b().proxy(HTTP)).proxy())
        .hasToString("HTTP proxy 127.0.0.1:3128");
    assertThat(TestConfigs.of(b()).proxy()).isNull();
  }

  @Test
  void theTlsShorthandGivesTheSameContextAtEveryAttempt() throws Exception {
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getDefault();
    ConnectionConfig<byte[]> config = TestConfigs.of(b().tls(context));
    assertThat(config.tls().get()).isSameAs(context);
    assertThat(config.tls().get()).isSameAs(context);
    assertThat(TestConfigs.of(b()).tls()).isNull();
  }

  @Test
  void knobsAreRecordedAndUnsetOnesStayNull() {
    ConnectionConfig<byte[]> config = TestConfigs.of(
        b().tcpKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(5), 4));
    assertThat(config.tuning().keepAliveIdle()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.tuning().keepAliveInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.tuning().keepAliveCount()).isEqualTo(4);
    assertThat(config.tuning().userTimeout()).isNull();
    assertThat(config.tuning())
        .hasToString("TCP keepalive idle 30 s, interval 5 s, count 4");
    assertThat(TestConfigs.of(b()).tuning()).isNull();
  }
}
