package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redial.internal.Resolvers;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The endpoint setters: what they accept, and a clear error naming the parameter otherwise. */
class EndpointBuilderTest {
  private static ConnectionBuilder b() {
    return Redial.connection("t");
  }

  @Test
  void badEndpointsAreRefusedNamingTheParameter() {
    assertThatThrownBy(() -> b().endpoint((SocketAddress) null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("address must not be null");
    assertThatThrownBy(() -> b().endpoint((InetSocketAddress) null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("address must not be null");
    assertThatThrownBy(() -> b().endpoint(null, 80))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("host must not be null");
    assertThatThrownBy(() -> b().endpoint("db.test", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be in 1..65535, but was 0");
    assertThatThrownBy(() -> b().endpoint("db.test", 65_536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be in 1..65535, but was 65536");
    assertThatThrownBy(() -> b().endpoint((SocketAddress) new InetSocketAddress("127.0.0.1", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be in 1..65535, but was 0");
    assertThatThrownBy(() -> b().endpoint(UnixDomainSocketAddress.of("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("address must name a socket file");
    SocketAddress odd = new SocketAddress() {
      @Override
      public String toString() {
        return "odd";
      }
    };
    assertThatThrownBy(() -> b().endpoint(odd))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("address must be an InetSocketAddress or a"
            + " UnixDomainSocketAddress, but was odd of type");
    assertThatThrownBy(() -> b().endpoints(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("supplier must not be null");
    assertThatThrownBy(() -> b().resolver(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("resolver must not be null");
  }

  @Test
  void aFixedListAndASupplierTogetherAreRefusedAtBuild() {
    assertThatThrownBy(() -> b().endpoint("db.test", 1).endpoints(List::of).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endpoints: connection 't' has both 1 endpoint(...) and an"
            + " endpoints(supplier)");
    assertThatThrownBy(() -> b().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one endpoint is required");
  }

  @Test
  void whatTheConfigurationCarries() {
    var unix = UnixDomainSocketAddress.of("/run/app.sock");
    var resolver = Resolvers.defaultGroup();
    var config = b().endpoint("10.1.2.3", 1).endpoint(unix).endpoint("db.test", 2)
        .shuffleEndpoints().resolver(resolver).config();
    assertThat(config.endpoints()).extracting(e -> e.label())
        .containsExactly("10.1.2.3:1", "unix:/run/app.sock", "db.test:2");
    // a literal address needs no resolver; a name is resolved at every attempt
    assertThat(config.endpoints().get(0).resolved()).isNotNull();
    assertThat(config.endpoints().get(1).unix()).isEqualTo(unix);
    assertThat(config.endpoints().get(2).resolved()).isNull();
    assertThat(config.shuffleEndpoints()).isTrue();
    assertThat(config.resolver()).isSameAs(resolver);
    assertThat(config.endpointSupplier()).isNull();
    // nothing set: no routing options carried at all
    assertThat(b().endpoint("db.test", 2).config().routing()).isNull();
  }
}
