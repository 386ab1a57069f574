package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.redial.testing.LoopbackServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redial's JFR events, recorded through a real restart, a silent peer and a request that times
 * out, then read back from the recording file. The recording uses the JDK's "default" settings
 * and enables nothing itself: the events are on by default.
 */
class FlightEventsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aRestartASilentPeerAndATimeoutAreRecorded(@TempDir Path dir) throws Exception {
    String name = "jfr-restart";
    Path file = dir.resolve("restart.jfr");
    int port;
    try (LoopbackServer server = LoopbackServer.start();
        Recording recording = new Recording(Configuration.getConfiguration("default"))) {
      port = server.port();
      recording.start();
      try (Connection c = Redial.connection(name).endpoint(server.address())
          .backoff(Backoff.fixed(Duration.ofMillis(20)))
          .heartbeat(Heartbeat.every(Duration.ofMillis(200), Duration.ofMillis(200),
              new byte[] {'p'}))
          .correlation(Correlation.fifo())
          .build()) {
        c.connect().get(30, TimeUnit.SECONDS);

        // the server goes away: the channel is lost, attempts are refused, then it is back
        server.stop();
        await().atMost(WAIT).until(() -> c.stats().disconnects() == 1
            && c.stats().attempts() >= 3);
        server.restart();
        await().atMost(WAIT).until(() -> c.stats().connects() == 2
            && c.state() == ConnectionState.CONNECTED);

        // the peer goes silent: a request times out, then the heartbeat replaces the channel
        server.mode(LoopbackServer.Mode.SWALLOW);
        CompletableFuture<byte[]> reply = c.request(new byte[] {'q'}, Duration.ofMillis(50));
        assertThatThrownBy(() -> reply.get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasMessageContaining("REQUEST_TIMEOUT");
        await().atMost(WAIT).until(() -> c.stats().disconnects() == 2);
        server.mode(LoopbackServer.Mode.ECHO);
        await().atMost(WAIT).until(() -> c.stats().connects() == 3);
      }
      recording.stop();
      recording.dump(file);
    }
    List<RecordedEvent> all = RecordingFile.readAllEvents(file).stream()
        .filter(e -> e.getEventType().getName().startsWith("io.redial.")
            && name.equals(e.getString("connection")))
        // a file holds events by thread buffer, not in time order
        .sorted(java.util.Comparator.comparing(RecordedEvent::getStartTime))
        .toList();

    List<RecordedEvent> attempts = of(all, "io.redial.ConnectAttempt");
    assertThat(attempts).extracting(e -> e.getString("outcome"))
        .contains("connected", "failed");
    RecordedEvent first = attempts.get(0);
    assertThat(first.getString("outcome")).isEqualTo("connected");
    assertThat(first.getLong("generation")).isEqualTo(1);
    assertThat(first.getInt("attempt")).isEqualTo(1);
    assertThat(first.getString("endpoint")).isEqualTo("127.0.0.1:" + port);
    assertThat(first.getString("catalogEntry")).isEmpty();
    assertThat(attempts).filteredOn(e -> e.getString("outcome").equals("failed"))
        .allSatisfy(e -> {
          assertThat(e.getString("catalogEntry")).isEqualTo("WSAECONNREFUSED");
          assertThat(e.getString("message")).contains("WSAECONNREFUSED");
        });
    List<RecordedEvent> connected = attempts.stream()
        .filter(e -> e.getString("outcome").equals("connected")).toList();
    assertThat(connected).hasSizeGreaterThanOrEqualTo(3);
    // every attempt of the run is one event, numbered by generation without a gap
    assertThat(attempts).extracting(e -> e.getLong("generation"))
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, attempts.size()).boxed().toList());

    List<RecordedEvent> changes = of(all, "io.redial.StateChange");
    assertThat(changes).extracting(e -> e.getString("from") + ">" + e.getString("to"))
        .startsWith("IDLE>CONNECTING", "CONNECTING>CONNECTED", "CONNECTED>BACKOFF")
        .contains("BACKOFF>CONNECTING", "CONNECTING>BACKOFF")
        .endsWith("CONNECTED>CLOSING", "CLOSING>CLOSED");
    RecordedEvent lost = changes.get(2);
    assertThat(lost.getLong("generation")).isEqualTo(1);
    assertThat(lost.getString("catalogEntry")).isNotEmpty();

    List<RecordedEvent> missed = of(all, "io.redial.HeartbeatMissed");
    assertThat(missed).isNotEmpty(); // more when the next channel too met the silent server
    assertThat(missed.get(0).getDuration("timeout")).isEqualTo(Duration.ofMillis(200));
    // the channel the heartbeat replaced: the one connected after the restart
    assertThat(missed.get(0).getLong("generation")).isEqualTo(connected.get(1).getLong("generation"));

    List<RecordedEvent> timeouts = of(all, "io.redial.RequestTimeout");
    assertThat(timeouts).hasSize(1);
    assertThat(timeouts.get(0).getDuration("timeout")).isEqualTo(Duration.ofMillis(50));
    assertThat(timeouts.get(0).getString("stage")).isEqualTo("awaiting reply");
    assertThat(timeouts.get(0).getLong("size")).isEqualTo(1);

    assertThat(all).allSatisfy(e -> assertThat(e.getStackTrace()).isNull());
  }

  private static List<RecordedEvent> of(List<RecordedEvent> all, String type) {
    return all.stream().filter(e -> e.getEventType().getName().equals(type)).toList();
  }
}
