package io.redial.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;

class EndpointTest {
  @Test
  void aResolvedAddressIsKeptAsGivenNotCopied() throws Exception {
    InetSocketAddress given = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 6379);
    Endpoint e = Endpoint.of(given);
    assertThat(e.fixedAddress()).isSameAs(given);
    assertThat(e.connectAddress()).isSameAs(given);
    assertThat(e.host()).isEqualTo("127.0.0.1");
    assertThat(e.port()).isEqualTo(6379);
    assertThat(e.resolved()).isEqualTo(given.getAddress());
    assertThat(e.label()).isEqualTo("127.0.0.1:6379");
  }

  @Test
  void equalWhenHostPortAndAddressAreEqualHoweverMade() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    Endpoint fromAddress = Endpoint.of(new InetSocketAddress(lo, 80));
    Endpoint fromParts = new Endpoint("127.0.0.1", 80, lo);
    assertThat(fromAddress).isEqualTo(fromParts).hasSameHashCodeAs(fromParts);
    assertThat(fromAddress).isNotEqualTo(new Endpoint("127.0.0.1", 81, lo));
    assertThat(fromAddress).isNotEqualTo(new Endpoint("127.0.0.1", 80, null));
    assertThat(new Endpoint("db", 80, null)).isEqualTo(new Endpoint("db", 80, null));
  }

  @Test
  void aNameIsResolvedLaterAndLabelledWithBracketsForIpv6() {
    Endpoint name = new Endpoint("db.internal", 5432, null);
    assertThat(name.fixedAddress()).isNull();
    assertThat(name.connectAddress().isUnresolved()).isTrue();
    assertThat(new Endpoint("::1", 5432, null).label()).isEqualTo("[::1]:5432");
  }

  @Test
  void unixSocketsAndBadInput() {
    UnixDomainSocketAddress sock = UnixDomainSocketAddress.of("/tmp/app.sock");
    Endpoint unix = Endpoint.unix(sock);
    assertThat(unix.isUnix()).isTrue();
    assertThat(unix.fixedAddress()).isSameAs(sock);
    assertThat(unix.label()).isEqualTo("unix:/tmp/app.sock");
    assertThatThrownBy(unix::connectAddress).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unix:/tmp/app.sock is a Unix domain socket");
    assertThatThrownBy(() -> Endpoint.of(InetSocketAddress.createUnresolved("db", 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not resolved");
    assertThatThrownBy(() -> new Endpoint(null, 1, null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("host");
  }
}
