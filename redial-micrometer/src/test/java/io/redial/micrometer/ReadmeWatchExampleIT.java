package io.redial.micrometer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redial.Connection;
import io.redial.Redial;
import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javax.management.ObjectName;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Watching a connection" example, run against a loopback echo server. */
class ReadmeWatchExampleIT {
  @Test
  void theWatchingExampleRuns(@TempDir Path dir) throws Exception {
    double up;
    Object state;
    Path file = dir.resolve("orders.jfr"); // the README writes Path.of("orders.jfr")
    try (EchoServer echo = EchoServer.start(EchoMode.LENGTH_PREFIXED)) {
      int port = echo.address().getPort();

      // --- README example ---
      MeterRegistry registry = new SimpleMeterRegistry();
      try (Connection c = Redial.connection("orders")
              .endpoint("127.0.0.1", port)
              .jmx()
              .build();
          Recording jfr = new Recording(Configuration.getConfiguration("default"))) {
        new RedialMetrics(c).bindTo(registry);
        jfr.start();
        c.connect().join();
        c.send("hello".getBytes(UTF_8)).join();

        up = registry.get("redial.connection.connected").tag("connection", "orders")
            .gauge().value();
        state = ManagementFactory.getPlatformMBeanServer().getAttribute(
            new ObjectName("io.redial:type=Connection,name=orders"), "State");
        jfr.dump(file);
      }
      // --- end of example ---
    }
    assertThat(up).isEqualTo(1.0);
    assertThat(state).isEqualTo("CONNECTED");
    assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(
        new ObjectName("io.redial:type=Connection,name=orders"))).isFalse();
    assertThat(RecordingFile.readAllEvents(file)).map(RecordedEvent::getEventType)
        .extracting(t -> t.getName())
        .contains("io.redial.ConnectAttempt", "io.redial.StateChange");
  }
}
