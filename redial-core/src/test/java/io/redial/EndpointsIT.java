package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redial.internal.ManagedConnection;
import io.redial.testing.LoopbackServer;
import io.redial.testing.Recorder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Discovery ({@code endpoints(supplier)}, asked at every sweep) and failback to the preferred
 * endpoint through {@code maxConnectionAge}.
 */
class EndpointsIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static SocketAddress remote(Connection c) {
    return ((ManagedConnection<?, ?>) c).remoteAddress();
  }

  @Test
  void theSupplierIsAskedAtEverySweepAndItsFailuresBackOff() throws Exception {
    Recorder rec = new Recorder();
    AtomicInteger asked = new AtomicInteger();
    try (LoopbackServer first = LoopbackServer.start();
        LoopbackServer second = LoopbackServer.start()) {
      AtomicReference<List<InetSocketAddress>> registry = new AtomicReference<>(List.of());
      try (Connection c = Redial.connection("discovery")
          .endpoints(() -> {
            if (asked.incrementAndGet() == 1) {
              throw new IllegalStateException("registry not ready");
            }
            return registry.get();
          })
          .backoff(Backoff.fixed(Duration.ofMillis(20)))
          .listener(rec)
          .build()) {
        c.connect();
        await().atMost(WAIT).until(() -> rec.of(ConnectionEvent.AttemptFailed.class).size() >= 2);
        registry.set(List.of(first.address()));
        c.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(remote(c)).isEqualTo(first.address());

        List<ConnectionEvent.AttemptFailed> failed = rec.of(ConnectionEvent.AttemptFailed.class);
        assertThat(failed.get(0).error()).hasMessageContaining("registry not ready");
        assertThat(failed.get(1).error()).hasMessageContaining("returned no endpoints");
        assertThat(failed).allSatisfy(f -> {
          assertThat(f.socketError().name()).isEqualTo("NO_ENDPOINTS");
          assertThat(f.endpoint()).isEqualTo("endpoints()");
          assertThat(f.nextDelay()).contains(Duration.ofMillis(20)); // a backoff each time
        });
        int askedBefore = asked.get();

        // the service moves: the next sweep, after the loss, asks again and follows it
        await().atMost(WAIT).until(() -> first.accepted() == 1); // the server's side of it
        registry.set(List.of(second.address()));
        first.stop();
        await().atMost(WAIT).until(() -> c.state() == ConnectionState.CONNECTED
            && second.address().equals(remote(c)));
        assertThat(asked.get()).isEqualTo(askedBefore + 1);
        await().atMost(WAIT).until(() -> second.accepted() == 1);
        assertThat(first.maxOpen()).isEqualTo(1);
        assertThat(second.maxOpen()).isEqualTo(1);
      }
    }
  }

  @Test
  void maxConnectionAgeFailsBackToThePreferredEndpointOnceItIsBack() throws Exception {
    Recorder rec = new Recorder();
    try (LoopbackServer preferred = LoopbackServer.start();
        LoopbackServer backup = LoopbackServer.start()) {
      preferred.stop(); // down at first: refused
      try (Connection c = Redial.connection("failback")
          .endpoint(preferred.address())
          .endpoint(backup.address())
          .maxConnectionAge(Duration.ofMillis(300))
          .backoff(Backoff.fixed(Duration.ofMillis(20)))
          .listener(rec)
          .build()) {
        c.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(remote(c)).isEqualTo(backup.address());
        assertThat(rec.of(ConnectionEvent.AttemptFailed.class).get(0).nextDelay())
            .contains(Duration.ZERO); // the backup in the same sweep

        preferred.restart();
        // a replacement starts its sweep from the top: the preferred endpoint, now back
        await().atMost(WAIT).until(() -> c.state() == ConnectionState.CONNECTED
            && preferred.address().equals(remote(c)));
      }
    }
  }
}
