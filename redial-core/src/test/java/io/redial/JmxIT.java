package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.redial.testing.LoopbackServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** {@code jmx()}: an MBean per connection on the platform server, gone when it closes. */
class JmxIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();

  @Test
  void theMBeanShowsTheConnectionAndDrivesIt() throws Exception {
    ObjectName name = new ObjectName("io.redial:type=Connection,name=jmx-orders");
    try (LoopbackServer server = LoopbackServer.start()) {
      Connection c = Redial.connection("jmx-orders").endpoint(server.address())
          .backoff(Backoff.fixed(Duration.ofMinutes(10))) // only resetBackoff() retries soon
          .jmx().build();
      assertThat(mbeans.isRegistered(name)).isTrue();
      assertThat(mbeans.getAttribute(name, "State")).isEqualTo("IDLE");
      assertThat(mbeans.getAttribute(name, "Name")).isEqualTo("jmx-orders");

      c.connect().get(30, TimeUnit.SECONDS);
      c.send(new byte[10]).get(30, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> c.stats().framesReceived() == 1);
      assertThat(mbeans.getAttribute(name, "State")).isEqualTo("CONNECTED");
      assertThat(mbeans.getAttribute(name, "Generation")).isEqualTo(1L);
      assertThat(mbeans.getAttribute(name, "Attempts")).isEqualTo(1L);
      assertThat(mbeans.getAttribute(name, "Connects")).isEqualTo(1L);
      assertThat(mbeans.getAttribute(name, "MessagesSent")).isEqualTo(1L);
      assertThat(mbeans.getAttribute(name, "MessagesReceived")).isEqualTo(1L);
      assertThat(mbeans.getAttribute(name, "BytesSent")).isEqualTo(10L);
      assertThat(mbeans.getAttribute(name, "BytesReceived")).isEqualTo(10L);
      assertThat(mbeans.getAttribute(name, "QueuedMessages")).isEqualTo(0);
      assertThat(mbeans.getAttribute(name, "QueuedBytes")).isEqualTo(0L);

      mbeans.invoke(name, "reconnect", null, null);
      await().atMost(WAIT).until(() -> c.stats().connects() == 2
          && c.state() == ConnectionState.CONNECTED);
      assertThat(mbeans.getAttribute(name, "Generation")).isEqualTo(2L);

      server.stop(); // lost: BACKOFF for ten minutes
      await().atMost(WAIT).until(() -> c.state() == ConnectionState.BACKOFF);
      // the channel reconnect() replaced, and the one the stop took
      assertThat(mbeans.getAttribute(name, "Disconnects")).isEqualTo(2L);
      server.restart();
      mbeans.invoke(name, "resetBackoff", null, null);
      await().atMost(WAIT).until(() -> c.stats().connects() == 3);
      assertThat(mbeans.getAttribute(name, "State")).isEqualTo("CONNECTED");

      c.close();
      assertThat(mbeans.isRegistered(name)).as("unregistered by close").isFalse();
    }
  }

  @Test
  void aNameRegisteredAlreadyIsAClearError() throws Exception {
    ObjectName name = new ObjectName("io.redial:type=Connection,name=jmx-twice");
    ConnectionBuilder twin = Redial.connection("jmx-twice").endpoint("127.0.0.1", 1).jmx();
    try (Connection first = twin.build()) {
      assertThatThrownBy(twin::build)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("jmx")
          .hasMessageContaining("'io.redial:type=Connection,name=jmx-twice'")
          .hasMessageContaining("registered already");
      assertThat(mbeans.getAttribute(name, "State")).as("the first keeps its MBean")
          .isEqualTo("IDLE");
      assertThat(first.state()).isEqualTo(ConnectionState.IDLE);
    }
    assertThat(mbeans.isRegistered(name)).isFalse();
    try (Connection again = twin.build()) { // the name is free once the first closed
      assertThat(mbeans.isRegistered(name)).isTrue();
      assertThat(again.state()).isEqualTo(ConnectionState.IDLE);
    }
  }

  @Test
  void aNameWithReservedCharactersIsQuoted() throws Exception {
    String odd = "db,primary=1:*?";
    try (Connection c = Redial.connection(odd).endpoint("127.0.0.1", 1).jmx().build()) {
      ObjectName name = new ObjectName("io.redial:type=Connection,name=" + ObjectName.quote(odd));
      assertThat(mbeans.getAttribute(name, "Name")).isEqualTo(odd);
      assertThat(c.name()).isEqualTo(odd);
    }
  }

  @Test
  void withoutJmxNothingIsRegistered() throws Exception {
    try (Connection c = Redial.connection("jmx-off").endpoint("127.0.0.1", 1).build()) {
      assertThat(c.state()).isEqualTo(ConnectionState.IDLE);
      assertThat(mbeans.queryNames(new ObjectName("io.redial:type=Connection,name=jmx-off"), null))
          .isEmpty();
    }
  }
}
