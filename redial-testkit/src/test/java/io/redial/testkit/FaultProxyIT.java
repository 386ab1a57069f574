package io.redial.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Slow measurements: throughput over seconds. */
@RedialTest
class FaultProxyIT {
  private static final long RATE = 50_000;
  private static final Duration WINDOW = Duration.ofSeconds(2);

  @ParameterizedTest
  @EnumSource(value = Direction.class, names = {"UPSTREAM", "DOWNSTREAM"})
  void bandwidthHoldsWithinTwentyPercentOverTwoSeconds(Direction direction, @Echo(EchoMode.RAW) FaultProxy proxy,
      TestReporter reporter) throws Exception {
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (FaultHandle limit = proxy.bandwidth(direction, RATE); Socket s = Wire.connect(proxy.listenAddress())) {
      // Keep the pipe full: far more than the window can carry, written from another thread
      // (the write blocks once the proxy stops reading: it holds at most a bounded backlog).
      Future<?> flood = writer.submit(() -> {
        byte[] chunk = new byte[8192];
        for (int i = 0; i < 64; i++) {
          s.getOutputStream().write(chunk);
        }
        return null;
      });
      InputStream in = s.getInputStream();
      byte[] buf = new byte[65536];
      int first = in.read(buf); // start the clock at the first byte back
      assertThat(first).isPositive();
      long start = System.nanoTime();
      long end = start + WINDOW.toNanos();
      long bytes = 0;
      s.setSoTimeout(1_000);
      for (int reads = 0; reads < 1_000_000 && System.nanoTime() < end; reads++) {
        int n = in.read(buf);
        if (n < 0) {
          throw new IOException("end of stream during the measurement");
        }
        bytes += n;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double rate = bytes / seconds;
      reporter.publishEntry("measured-bytes-per-second-" + direction, String.format("%.0f", rate));
      assertThat(rate).as("bytes per second through a %d B/s limit %s", RATE, direction)
          .isCloseTo(RATE, within(RATE * 0.2));
      flood.cancel(true);
    } finally {
      writer.shutdownNow();
    }
    // What the client sent before closing is still paced out to the server: up to a window's worth.
    await().atMost(WINDOW.multipliedBy(5)).until(() -> proxy.connections().isEmpty());
  }
}
