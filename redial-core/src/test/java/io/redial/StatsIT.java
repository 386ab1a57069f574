package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.redial.testing.LoopbackServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code stats()} for a metrics registry: it never waits for the event loop, and is never torn. */
class StatsIT {
  @Test
  void statsAnswersWhileTheEventLoopIsBusy() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    CountDownLatch release = new CountDownLatch(1);
    try (LoopbackServer server = LoopbackServer.start()) {
      Connection c = Redial.connection("busy-loop").endpoint(server.address())
          .eventLoopGroup(group).build();
      c.connect().get(10, TimeUnit.SECONDS);
      // the connection's only loop thread is stuck in a task until released
      group.next().execute(() -> {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      ConnectionStats stats = CompletableFuture.supplyAsync(c::stats).get(10, TimeUnit.SECONDS);
      assertThat(stats.connects()).isEqualTo(1);
      assertThat(stats.attempts()).isEqualTo(1);
      release.countDown();
      c.close();
    } finally {
      release.countDown();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSnapshotIsNeverTornWhileFramesFlowBothWays() throws Exception {
    int frame = 100;
    try (LoopbackServer server = LoopbackServer.start()) {
      Connection c = Redial.connection("untorn").endpoint(server.address())
          .offlineQueue(50_000, 64L << 20).build(); // room for the whole burst
      c.connect().get(10, TimeUnit.SECONDS);
      AtomicBoolean done = new AtomicBoolean();
      AtomicLong reads = new AtomicLong();
      List<String> torn = new ArrayList<>();
      Thread reader = new Thread(() -> {
        while (!done.get() && reads.get() < 50_000_000) {
          ConnectionStats s = c.stats();
          reads.incrementAndGet();
          if (s.bytesSent() != s.framesSent() * frame
              || s.bytesReceived() != s.framesReceived() * frame) {
            synchronized (torn) {
              torn.add(s.toString());
            }
          }
        }
      }, "stats-reader");
      reader.start();
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        sent.add(c.send(new byte[frame]));
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(30)).until(() -> c.stats().framesReceived() == 20_000);
      done.set(true);
      reader.join(10_000);
      assertThat(reads.get()).as("the reader ran alongside").isPositive();
      assertThat(torn).as("snapshots whose fields disagree").isEmpty();
      assertThat(c.stats().bytesSent()).isEqualTo(20_000L * frame);
      c.close();
    }
  }
}
