package io.redial.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The heartbeat on Netty's embedded channel, with time moved by hand instead of slept. */
class HeartbeatHandlerTest {
  private final List<Object> events = new ArrayList<>();

  private EmbeddedChannel channel() {
    EmbeddedChannel[] holder = new EmbeddedChannel[1];
    // the connection's clock: here the embedded loop's own mock ticker and timers
    Scheduler scheduler = (task, delayNanos) -> {
      var f = holder[0].eventLoop().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
    holder[0] = EmbeddedChannel.builder()
        .ticker(ticker) // frozen unless moved: no real time leaks into the test
        .build();
    holder[0].pipeline().addLast(
            new HeartbeatHandler(Duration.ofSeconds(1).toNanos(), Duration.ofSeconds(2).toNanos(),
                scheduler, ticker::nanoTime, true),
            new ChannelInboundHandlerAdapter() {
              @Override
              public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt == HeartbeatHandler.PING_DUE) {
                  pingsDue++;
                } else {
                  events.add(evt);
                }
              }
            });
    return holder[0];
  }

  private int pingsDue;

  private final MockTicker ticker = Ticker.newMockTicker();

  private void advance(EmbeddedChannel ch, long millis) {
    ticker.advance(millis, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
  }

  /** Pings asked for since the last call; the handler writes none itself. */
  private int pings(EmbeddedChannel ch) {
    assertThat((Object) ch.readOutbound()).as("the handler writes nothing itself").isNull();
    int n = pingsDue;
    pingsDue = 0;
    return n;
  }

  @Test
  void pingsAfterTheIntervalAndMissesAfterTheTimeout() {
    EmbeddedChannel ch = channel();
    advance(ch, 999);
    assertThat(pings(ch)).isZero();
    advance(ch, 1);
    assertThat(pings(ch)).isEqualTo(1);
    advance(ch, 1_999);
    assertThat(events).isEmpty();
    advance(ch, 1);
    assertThat(events).containsExactly(HeartbeatHandler.MISSED);
    advance(ch, 10_000);
    assertThat(events).hasSize(1); // fired once per channel
    assertThat(pings(ch)).isZero();
    ch.finishAndReleaseAll();
  }

  @Test
  void anyInboundFrameCountsAsLife() {
    EmbeddedChannel ch = channel();
    for (int i = 0; i < 10; i++) {
      advance(ch, 900);
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
      assertThat((ByteBuf) ch.readInbound()).isNotNull().satisfies(ByteBuf::release);
    }
    assertThat(pings(ch)).isZero();
    assertThat(events).isEmpty();
  }

  @Test
  void aReplyAfterThePingCancelsTheTimeout() {
    EmbeddedChannel ch = channel();
    advance(ch, 1_000);
    assertThat(pings(ch)).isEqualTo(1);
    advance(ch, 1_500);
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1})); // the pong
    ((ByteBuf) ch.readInbound()).release();
    advance(ch, 600); // past the first ping's timeout
    assertThat(events).isEmpty();
    advance(ch, 400); // one interval after the pong: the next ping
    assertThat(pings(ch)).isEqualTo(1);
  }

  @Test
  void stopsWithTheChannel() {
    EmbeddedChannel ch = channel();
    ch.close();
    advance(ch, 10_000);
    assertThat(events).isEmpty();
    assertThat(pingsDue).isZero();
  }
}
