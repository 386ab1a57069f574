package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ConnectionBuilderTest {
  private static ConnectionBuilder b() {
    return Redial.connection("t");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        bad("name", "' '", () -> Redial.connection(" ")),
        bad("name", "must not be null", () -> Redial.connection(null)),
        bad("host", "''", () -> b().endpoint("", 80)),
        bad("host", "must not be null", () -> b().endpoint((String) null, 80)),
        bad("port", "1..65535, but was 0", () -> b().endpoint("localhost", 0)),
        bad("port", "1..65535, but was 65536", () -> b().endpoint("localhost", 65_536)),
        bad("port", "but was -5", () -> b().endpoint("localhost", -5)),
        bad("address", "must not be null", () -> b().endpoint((InetSocketAddress) null)),
        bad("port", "but was 0", () -> b().endpoint(new InetSocketAddress("127.0.0.1", 0))),
        bad("connectTimeout", "positive duration, but was PT0S",
            () -> b().connectTimeout(Duration.ZERO)),
        bad("connectTimeout", "PT-1S", () -> b().connectTimeout(Duration.ofSeconds(-1))),
        bad("maxAttempts", "but was -1", () -> b().maxAttempts(-1)),
        bad("maxFrames", "but was 0", () -> b().offlineQueue(0, 10)),
        bad("maxBytes", "but was -1", () -> b().offlineQueue(10, -1)),
        bad("stableAfter", "PT0S", () -> b().stableAfter(Duration.ZERO)),
        bad("closeTimeout", "PT-0.001S", () -> b().closeTimeout(Duration.ofMillis(-1))),
        bad("framing", "null", () -> b().framing(null)),
        bad("backoff", "null", () -> b().backoff(null)),
        bad("heartbeat", "null", () -> b().heartbeat(null)),
        bad("handler", "null", () -> b().onMessage(null)),
        bad("listener", "null", () -> b().listener(null)),
        bad("context", "null", () -> b().tls((javax.net.ssl.SSLContext) null)),
        bad("contexts", "null",
            () -> b().tls((java.util.function.Supplier<javax.net.ssl.SSLContext>) null)),
        bad("random", "null", () -> b().random(null)),
        bad("interval", "PT0S",
            () -> Heartbeat.every(Duration.ZERO, Duration.ofSeconds(1), new byte[] {1})),
        bad("timeout", "PT-1S",
            () -> Heartbeat.every(Duration.ofSeconds(1), Duration.ofSeconds(-1), new byte[] {1})),
        bad("pingFrame", "null",
            () -> Heartbeat.every(Duration.ofSeconds(1), Duration.ofSeconds(1), null)),
        bad("maxFrameBytes", "but was 0", () -> Framing.lengthPrefixed(0)),
        bad("maxLineBytes", "but was -3", () -> Framing.lines(-3)),
        bad("endpoint", "at least one", () -> b().build()),
        bad("pingFrame", "line break",
            () -> b().endpoint("localhost", 1).framing(Framing.lines(100))
                .heartbeat(Heartbeat.every(Duration.ofSeconds(1), Duration.ofSeconds(1),
                    "a\nb".getBytes()))
                .build()),
        bad("pingFrame", "at most 2 bytes",
            () -> b().endpoint("localhost", 1).framing(Framing.lengthPrefixed(2))
                .heartbeat(Heartbeat.every(Duration.ofSeconds(1), Duration.ofSeconds(1),
                    new byte[3]))
                .build()));
  }

  private static Arguments bad(String parameter, String detail, ThrowingCallable call) {
    return Arguments.of(parameter, detail, call);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource({"invalid", "io.redial.TransportOptionsTest#invalid"})
  void invalidValueNamesTheParameterAndTheValue(
      String parameter, String detail, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(parameter)
        .hasMessageContaining(detail);
  }

  @Test
  void defaultConnectionsShareTheirImmutableDefaultsInsteadOfCarryingCopies() {
    // each copy would cost every idle connection bytes (see the footprint benchmark)
    var a = Redial.connection("a").endpoint("127.0.0.1", 1).config();
    var b = Redial.connection("b").endpoint("127.0.0.1", 1).config();
    assertThat(a.backoff()).isSameAs(b.backoff()).isSameAs(Backoff.exponential());
    assertThat(a.framing()).isSameAs(b.framing()).isSameAs(Framing.lengthPrefixed());
    assertThat(a.random()).isSameAs(b.random());
    // the shared default still jitters: values in [0, 1), not all alike
    java.util.Set<Double> seen = new java.util.HashSet<>();
    for (int i = 0; i < 100; i++) {
      double d = a.random().nextDouble();
      assertThat(d).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
      seen.add(d);
    }
    assertThat(seen).hasSizeGreaterThan(90);
  }

  @Test
  void defaultsAreThoseOfTheDesign() {
    var config = b().endpoint("localhost", 7).config();
    assertThat(config.framing().type()).isEqualTo(Framing.Type.LENGTH_PREFIXED);
    assertThat(config.framing().maxFrameBytes()).isEqualTo(16 * 1024 * 1024);
    assertThat(config.maxAttempts()).isZero();
    assertThat(config.offlineMaxFrames()).isEqualTo(10_000);
    assertThat(config.offlineMaxBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(config.heartbeat()).isNull();
    assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
    // the gRPC policy brings its minimum connect timeout when none is set explicitly...
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(20));
    // ...an explicit one wins, and other policies keep the 10 s default
    assertThat(b().endpoint("localhost", 7).connectTimeout(Duration.ofSeconds(3)).config()
        .connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(b().endpoint("localhost", 7).backoff(Backoff.fixed(Duration.ofSeconds(1))).config()
        .connectTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void endpointsKeepTheirOrderAndResolvedAddressesStayResolved() {
    var config = b().endpoint("localhost", 1)
        .endpoint(new InetSocketAddress("127.0.0.1", 2))
        .endpoint(InetSocketAddress.createUnresolved("example.invalid", 3))
        .config();
    assertThat(config.endpoints()).extracting(e -> e.label())
        .containsExactly("localhost:1", "127.0.0.1:2", "example.invalid:3");
    assertThat(config.endpoints().get(0).connectAddress().isUnresolved()).isTrue();
    assertThat(config.endpoints().get(1).connectAddress().isUnresolved()).isFalse();
    assertThat(config.endpoints().get(2).connectAddress().isUnresolved()).isTrue();
  }

  @Test
  void heartbeatCopiesItsPingFrame() {
    byte[] ping = {1, 2};
    Heartbeat h = Heartbeat.every(Duration.ofSeconds(1), Duration.ofSeconds(1), ping);
    ping[0] = 9;
    assertThat(h.pingFrame()).containsExactly(1, 2);
    Consumer<byte[]> mutate = bytes -> bytes[1] = 7;
    mutate.accept(h.pingFrame());
    assertThat(h.pingFrame()).containsExactly(1, 2);
  }
}
