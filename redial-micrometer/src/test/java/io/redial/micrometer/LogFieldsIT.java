package io.redial.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.redial.Backoff;
import io.redial.Connection;
import io.redial.Redial;
import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Redial's lifecycle log lines carry SLF4J 2 key-value pairs, seen here by logback (the backend of
 * this module's tests), through a real restart. The message text is what it was without them.
 */
class LogFieldsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(Connection.class);

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
    lines.stop();
  }

  @Test
  void everyLifecycleLineHasItsFields() throws Exception {
    String name = "fields";
    String endpoint;
    long lastGen;
    try (EchoServer echo = EchoServer.start(EchoMode.LENGTH_PREFIXED)) {
      endpoint = "127.0.0.1:" + echo.address().getPort();
      try (Connection c = Redial.connection(name).endpoint("127.0.0.1", echo.address().getPort())
          .backoff(Backoff.fixed(Duration.ofMillis(20))).build()) {
        c.connect().get(30, TimeUnit.SECONDS);
        echo.stop();
        await().atMost(WAIT).until(() -> c.stats().attempts() >= 3);
        echo.restart();
        await().atMost(WAIT).until(() -> c.stats().connects() == 2);
        lastGen = c.generation();
      }
    }
    List<ILoggingEvent> ours = List.copyOf(lines.list).stream()
        .filter(e -> e.getFormattedMessage().startsWith("[" + name + "]")).toList();
    assertThat(ours).isNotEmpty().allSatisfy(e ->
        assertThat(fields(e)).as(e.getFormattedMessage()).containsEntry("connection", name)
            .containsKey("generation"));

    ILoggingEvent connected = first(ours, "[fields] gen=1 connected ");
    assertThat(fields(connected)).containsEntry("generation", 1L)
        .containsEntry("endpoint", endpoint).containsEntry("attempt", 1);
    assertThat(connected.getMessage()).as("the text is unchanged")
        .isEqualTo("[{}] gen={} connected {} -> {} in {} ms{}");

    ILoggingEvent attempt = first(ours, "[fields] gen=1 connect -> " + endpoint + " (attempt 1)");
    assertThat(fields(attempt)).containsEntry("endpoint", endpoint).containsEntry("attempt", 1);

    ILoggingEvent lost = first(ours, "[fields] gen=1 lost after ");
    assertThat(fields(lost)).containsEntry("generation", 1L).containsEntry("endpoint", endpoint)
        .containsKey("catalogEntry");

    ILoggingEvent refused = first(ours, "[fields] attempt 1 to " + endpoint + " failed after ");
    assertThat(refused.getLevel().toString()).isEqualTo("WARN");
    assertThat(fields(refused)).containsEntry("catalogEntry", "WSAECONNREFUSED")
        .containsEntry("attempt", 1).containsEntry("endpoint", endpoint);

    ILoggingEvent closed = first(ours, "[fields] closed after ");
    assertThat(fields(closed)).containsEntry("catalogEntry", "CONNECTION_CLOSED")
        .containsEntry("generation", lastGen);
  }

  private static ILoggingEvent first(List<ILoggingEvent> events, String prefix) {
    return events.stream().filter(e -> e.getFormattedMessage().startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in "
            + events.stream().map(ILoggingEvent::getFormattedMessage).toList()));
  }

  private static Map<String, Object> fields(ILoggingEvent e) {
    Map<String, Object> m = new HashMap<>();
    List<KeyValuePair> pairs = e.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair p : pairs) {
        m.put(p.key, p.value);
      }
    }
    return m;
  }
}
