package io.redial.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.redial.Backoff;
import io.redial.Connection;
import io.redial.ConnectionState;
import io.redial.Redial;
import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link RedialMetrics} on a real connection to a loopback echo server that restarts. */
class RedialMetricsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void theMetersFollowARestart() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (EchoServer echo = EchoServer.start(EchoMode.LENGTH_PREFIXED)) {
      Connection c = Redial.connection("metrics").endpoint(echo.address())
          .backoff(Backoff.fixed(Duration.ofMillis(20))).build();
      RedialMetrics metrics = new RedialMetrics(c);
      metrics.bindTo(registry);
      metrics.bindTo(registry); // a second bind adds nothing: no event is counted twice
      Meters m = new Meters(registry, "metrics");
      assertThat(m.count("redial.connection.attempts")).isZero();
      assertThat(m.gauge("redial.connection.connected")).isZero();

      c.connect().get(30, TimeUnit.SECONDS);
      for (int i = 0; i < 3; i++) {
        c.send(new byte[5]).get(30, TimeUnit.SECONDS);
      }
      await().atMost(WAIT).until(() -> c.stats().framesReceived() == 3);
      assertThat(m.count("redial.connection.attempts")).isEqualTo(1);
      assertThat(m.count("redial.connection.connects")).isEqualTo(1);
      assertThat(m.count("redial.connection.disconnects")).isZero();
      assertThat(m.gauge("redial.connection.connected")).isEqualTo(1);
      assertThat(m.count("redial.messages.sent")).isEqualTo(3);
      assertThat(m.count("redial.messages.received")).isEqualTo(3);
      assertThat(m.count("redial.bytes.sent")).isEqualTo(15);
      assertThat(m.count("redial.bytes.received")).isEqualTo(15);
      assertThat(m.timer("connected").count()).isEqualTo(1);

      // the server goes away: lost, then refused attempts; a message waits in the queue
      echo.stop();
      await().atMost(WAIT).until(() -> c.stats().disconnects() == 1 && c.stats().attempts() >= 3);
      assertThat(m.gauge("redial.connection.connected")).isZero();
      assertThat(m.count("redial.connection.disconnects")).isEqualTo(1);
      CompletableFuture<Void> queued = c.send(new byte[7]);
      await().atMost(WAIT).until(() -> c.stats().queuedFrames() == 1);
      assertThat(m.gauge("redial.queue.messages")).isEqualTo(1);
      assertThat(m.gauge("redial.queue.bytes")).isEqualTo(7);
      assertThat(registry.get("redial.connection.failures").tag("connection", "metrics")
          .tag("kind", "disconnect").counter().count()).isEqualTo(1);
      assertThat(registry.get("redial.connection.failures").tag("kind", "attempt")
          .tag("error", "WSAECONNREFUSED").counter().count()).isGreaterThanOrEqualTo(2);

      echo.restart();
      queued.get(30, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> c.stats().framesReceived() == 4);
      assertThat(m.count("redial.connection.connects")).isEqualTo(2);
      assertThat(m.gauge("redial.connection.connected")).isEqualTo(1);
      assertThat(m.gauge("redial.queue.messages")).isZero();
      assertThat(m.gauge("redial.queue.bytes")).isZero();
      assertThat(m.count("redial.messages.sent")).isEqualTo(4);
      assertThat(m.count("redial.bytes.sent")).isEqualTo(22);
      // every attempt was timed, by outcome: two connected, the rest failed
      long attempts = (long) m.count("redial.connection.attempts");
      assertThat(m.timer("connected").count()).isEqualTo(2);
      assertThat(m.timer("failed").count()).isEqualTo(attempts - 2);
      assertThat(registry.get("redial.connection.failures").tag("kind", "attempt").counters()
          .stream().mapToDouble(Counter::count).sum()).isEqualTo(attempts - 2);

      c.close();
      assertThat(m.gauge("redial.connection.connected")).isZero();
      assertThat(m.count("redial.connection.disconnects")).as("close() is no disconnect")
          .isEqualTo(1);
      assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
    }
  }

  @Test
  void aPrometheusScrapeShowsEveryMeter() throws Exception {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (EchoServer echo = EchoServer.start(EchoMode.LENGTH_PREFIXED);
        Connection c = Redial.connection("prom").endpoint(echo.address()).build()) {
      new RedialMetrics(c).bindTo(prometheus);
      c.connect().get(30, TimeUnit.SECONDS);
      c.send(new byte[3]).get(30, TimeUnit.SECONDS);
      c.send(new byte[3]).get(30, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> c.stats().framesReceived() == 2);
      String text = prometheus.scrape();
      assertThat(text).contains(
          "redial_connection_attempts_total{connection=\"prom\"} 1",
          "redial_connection_connects_total{connection=\"prom\"} 1",
          "redial_connection_disconnects_total{connection=\"prom\"} 0",
          "redial_connection_connected{connection=\"prom\"} 1",
          "redial_queue_messages{connection=\"prom\"} 0",
          "redial_queue_bytes{connection=\"prom\"} 0",
          "redial_messages_sent_total{connection=\"prom\"} 2",
          "redial_messages_received_total{connection=\"prom\"} 2",
          "redial_bytes_sent_total{connection=\"prom\"} 6",
          "redial_bytes_received_total{connection=\"prom\"} 6",
          "redial_connection_connect_duration_seconds_count{connection=\"prom\",outcome=\"connected\"} 1",
          "# TYPE redial_connection_attempts_total counter",
          "# TYPE redial_connection_connected gauge");
    }
  }

  @Test
  void twoConnectionsAreTwoSeriesInOneRegistry() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (EchoServer echo = EchoServer.start(EchoMode.LENGTH_PREFIXED);
        Connection a = Redial.connection("a").endpoint(echo.address()).build();
        Connection b = Redial.connection("b").endpoint(echo.address()).build()) {
      new RedialMetrics(a).bindTo(registry);
      new RedialMetrics(b).bindTo(registry);
      a.connect().get(30, TimeUnit.SECONDS);
      assertThat(new Meters(registry, "a").gauge("redial.connection.connected")).isEqualTo(1);
      assertThat(new Meters(registry, "b").gauge("redial.connection.connected")).isZero();
      assertThat(registry.get("redial.connection.connected").gauges()).hasSize(2);
    }
  }

  @Test
  void aNullConnectionIsRefusedByName() {
    assertThatThrownBy(() -> new RedialMetrics(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("connection");
  }

  /** One connection's meters in a registry. */
  private record Meters(MeterRegistry registry, String connection) {
    double count(String name) {
      return registry.get(name).tag("connection", connection).functionCounter().count();
    }

    double gauge(String name) {
      return registry.get(name).tag("connection", connection).gauge().value();
    }

    Timer timer(String outcome) {
      return registry.get("redial.connection.connect.duration").tag("connection", connection)
          .tag("outcome", outcome).timer();
    }
  }
}
