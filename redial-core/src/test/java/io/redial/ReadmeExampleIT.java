package io.redial;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The README's example, run against a loopback echo server: the docs compile and work. */
class ReadmeExampleIT {
  @Test
  void theReadmeExampleRuns() throws Exception {
    try (EchoServer echo = EchoServer.start(EchoMode.RAW)) {
      List<String> replies = new CopyOnWriteArrayList<>();
      List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
      int port = echo.address().getPort();

      // --- README example ---
      try (Connection c = Redial.connection("orders")
          .endpoint("127.0.0.1", port)
          .endpoint("127.0.0.1", port)                        // failover, tried in order
          .framing(Framing.lengthPrefixed())                   // 4-byte length, 16 MiB max
          .backoff(Backoff.exponential())                      // gRPC: 1 s, x1.6, ±20 %, cap 120 s
          .heartbeat(Heartbeat.every(Duration.ofSeconds(5), Duration.ofSeconds(5),
              "ping".getBytes(UTF_8)))
          .onMessage(frame -> replies.add(new String(frame, UTF_8))) // on the event loop
          .listener(events::add)
          .build()) {
        c.connect().join();                                    // idempotent, single-flight
        c.send("hello".getBytes(UTF_8)).join();                // written to a live socket
        await().atMost(Duration.ofSeconds(10)).until(() -> replies.contains("hello"));
      }
      // --- end of example ---

      assertThat(replies).containsExactly("hello");
      assertThat(events).filteredOn(ConnectionEvent.StateChanged.class::isInstance)
          .extracting(e -> ((ConnectionEvent.StateChanged) e).to())
          .containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
              ConnectionState.CLOSING, ConnectionState.CLOSED);
    }
  }
}
