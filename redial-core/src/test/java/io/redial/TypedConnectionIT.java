package io.redial;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.StringDecoder;
import io.redial.testing.LoopbackServer;
import io.redial.testing.Recorder;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Typed messages over real loopback sockets: the user's codec fresh on every channel, a
 * handshake before anything queued, requests that find their replies (in order or by key) and
 * fail clearly when their channel dies, operator controls, and bad input.
 */
class TypedConnectionIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  /** Text lines; counts how many decoders it made (one per channel, never shared). */
  static final class Lines {
    final AtomicInteger decoders = new AtomicInteger();

    Codec<String> codec() {
      return Codec.netty(String.class, p -> {
        decoders.incrementAndGet();
        p.addLast(new LineBasedFrameDecoder(1024), new StringDecoder(UTF_8),
            new LineEncoder(UTF_8));
      }, String::length);
    }
  }

  /** The lines a server read, per socket, in order. */
  static final class LinesSeen {
    final Map<SocketChannel, StringBuilder> partial = new HashMap<>();
    final List<List<String>> perSocket = Collections.synchronizedList(new ArrayList<>());
    final Map<SocketChannel, List<String>> bySocket = new HashMap<>();

    void feed(SocketChannel ch, byte[] bytes) {
      StringBuilder sb = partial.computeIfAbsent(ch, c -> new StringBuilder());
      List<String> lines = bySocket.computeIfAbsent(ch, c -> {
        List<String> l = new CopyOnWriteArrayList<>();
        perSocket.add(l);
        return l;
      });
      sb.append(new String(bytes, UTF_8));
      int nl;
      while ((nl = sb.indexOf("\n")) >= 0) {
        lines.add(sb.substring(0, nl));
        sb.delete(0, nl + 1);
      }
    }
  }

  private LoopbackServer server(LoopbackServer.Mode mode) throws Exception {
    LoopbackServer s = LoopbackServer.start(mode);
    toClose.add(s);
    return s;
  }

  private <M> MessageConnection<M> track(MessageConnection<M> c) {
    toClose.add(c);
    return c;
  }

  @Test
  void theCodecsHandlersAreFreshOnEveryChannel() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    Lines lines = new Lines();
    List<String> got = new CopyOnWriteArrayList<>();
    MessageConnection<String> c = track(Redial.connection("fresh", lines.codec())
        .endpoint(server.address())
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .onMessage(got::add)
        .build());
    for (int i = 1; i <= 3; i++) {
      c.connect().get(10, TimeUnit.SECONDS);
      c.send("hello " + i).get(10, TimeUnit.SECONDS);
      int n = i;
      await().atMost(WAIT).until(() -> got.contains("hello " + n));
      long gen = c.generation();
      server.closeAll();
      await().atMost(WAIT).until(() -> c.generation() > gen);
    }
    assertThat(lines.decoders.get()).as("one set of handlers per channel")
        .isEqualTo((int) c.generation());
    assertThat(server.maxOpen()).isEqualTo(1);
  }

  @Test
  void fifoRepliesFindTheirRequestsInOrder() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    MessageConnection<String> c = track(Redial.connection("fifo", new Lines().codec())
        .endpoint(server.address())
        .correlation(Correlation.fifo())
        .build());
    c.connect().get(10, TimeUnit.SECONDS);
    List<CompletableFuture<String>> replies = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      replies.add(c.request("r" + i, Duration.ofSeconds(20)));
    }
    for (int i = 0; i < 1_000; i++) {
      assertThat(replies.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("r" + i);
    }
  }

  @Test
  void byKeyRepliesFindTheirRequestsAndTheRestGoesToOnMessage() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    List<String> unmatched = new CopyOnWriteArrayList<>();
    MessageConnection<String> c = track(Redial.connection("by-key", new Lines().codec())
        .endpoint(server.address())
        .correlation(Correlation.byKey(
            (String m) -> m.substring(0, m.indexOf(':')),
            (String m) -> m.startsWith("push") ? null : m.substring(0, m.indexOf(':'))))
        .onMessage(unmatched::add)
        .build());
    c.connect().get(10, TimeUnit.SECONDS);
    CompletableFuture<String> a = c.request("a:1", Duration.ofSeconds(10));
    CompletableFuture<String> b = c.request("b:2", Duration.ofSeconds(10));
    c.send("push:3").get(10, TimeUnit.SECONDS);
    assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("a:1");
    assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo("b:2");
    await().atMost(WAIT).until(() -> unmatched.contains("push:3"));
    // a key already waiting is refused, not mixed up
    server.mode(LoopbackServer.Mode.SWALLOW);
    CompletableFuture<String> first = c.request("k:1", Duration.ofSeconds(10));
    CompletableFuture<String> twin = c.request("k:2", Duration.ofSeconds(10));
    assertThatThrownBy(() -> twin.get(10, TimeUnit.SECONDS))
        .hasMessageContaining("request key k is already waiting");
    assertThat(first).isNotDone();
  }

  @Test
  void theHandshakeRunsOnEveryChannelBeforeAnythingQueued() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    LinesSeen seen = new LinesSeen();
    server.onBytes(seen::feed);
    AtomicInteger handshakes = new AtomicInteger();
    Recorder rec = new Recorder();
    MessageConnection<String> c = track(Redial.connection("hello", new Lines().codec())
        .endpoint(server.address())
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .correlation(Correlation.fifo())
        .handshake(session -> {
          handshakes.incrementAndGet();
          return session.request("HELLO " + session.generation(), Duration.ofSeconds(5))
              .thenAccept(reply -> {
                if (!reply.startsWith("HELLO")) {
                  throw new IllegalStateException("unexpected " + reply);
                }
              });
        })
        .listener(rec)
        .build());
    // queued before the first connect
    List<CompletableFuture<String>> early = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      early.add(c.request("q" + i, Duration.ofSeconds(20)));
    }
    c.connect().get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 50; i++) {
      assertThat(early.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("q" + i);
    }
    long gen = c.generation();
    server.closeAll();
    await().atMost(WAIT).until(() -> c.generation() > gen
        && c.state() == ConnectionState.CONNECTED);
    assertThat(c.request("after", Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS))
        .isEqualTo("after");
    assertThat(handshakes.get()).isEqualTo((int) c.generation());
    synchronized (seen.perSocket) {
      assertThat(seen.perSocket).hasSize((int) c.generation());
      for (int i = 0; i < seen.perSocket.size(); i++) {
        assertThat(seen.perSocket.get(i)).as("socket %d", i).isNotEmpty();
        assertThat(seen.perSocket.get(i).get(0)).as("the first line on socket %d", i)
            .isEqualTo("HELLO " + (i + 1));
      }
    }
  }

  @Test
  void aRejectedHandshakeClosesForGoodAndConnectFailsWithIt() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    MessageConnection<String> c = track(Redial.connection("rejected", new Lines().codec())
        .endpoint(server.address())
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .correlation(Correlation.fifo())
        .handshake(session -> session.request("AUTH wrong", Duration.ofSeconds(5))
            .thenAccept(reply -> {
              throw new HandshakeRejectedException("the server said: " + reply);
            }))
        .build());
    CompletableFuture<String> queued = c.request("never", Duration.ofSeconds(20));
    assertThatThrownBy(() -> c.connect().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(HandshakeRejectedException.class)
        .hasMessageContaining("the server said: AUTH wrong")
        .hasMessageContaining("HANDSHAKE_REJECTED");
    assertThat(c.awaitState(ConnectionState.CLOSED, WAIT)).isTrue();
    assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS))
        .hasMessageContaining("HANDSHAKE_REJECTED");
    assertThat(server.accepted()).as("no further attempt").isEqualTo(1);
  }

  @Test
  void aHandshakeThatThrowsIsAFailedAttemptNotABrokenLoop() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    Recorder rec = new Recorder();
    MessageConnection<String> c = track(Redial.connection("throws", new Lines().codec())
        .endpoint(server.address())
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .maxAttempts(3)
        .handshake(session -> {
          throw new IllegalStateException("boom in the handshake");
        })
        .listener(rec)
        .build());
    assertThatThrownBy(() -> c.connect().get(10, TimeUnit.SECONDS))
        .hasMessageContaining("gave up after 3 failed attempts")
        .hasMessageContaining("boom in the handshake");
    var failures = rec.of(ConnectionEvent.AttemptFailed.class);
    assertThat(failures).hasSize(3)
        .allMatch(f -> f.socketError().name().equals("HANDSHAKE_FAILED"));
    // the client's third socket is connected once the kernel accepted it; the server thread may
    // take it from the backlog a moment later
    await().atMost(WAIT).until(() -> server.accepted() == 3);
    assertThat(server.maxOpen()).isEqualTo(1);
  }

  @Test
  void requestsWrittenToADeadChannelFailAsLostAndQueuedOnesGoOutAfterTheReconnect()
      throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.SWALLOW);
    MessageConnection<String> c = track(Redial.connection("lost", new Lines().codec())
        .endpoint(server.address())
        .backoff(Backoff.fixed(Duration.ofMillis(200)))
        .correlation(Correlation.fifo())
        .build());
    c.connect().get(10, TimeUnit.SECONDS);
    CompletableFuture<String> sent = c.request("sent", Duration.ofSeconds(20));
    await().atMost(WAIT).until(() -> c.stats().framesSent() == 1 && server.accepted() == 1);
    server.closeAll();
    assertThatThrownBy(() -> sent.get(10, TimeUnit.SECONDS))
        .hasMessageContaining("CONNECTION_LOST")
        .hasMessageContaining("may or may not have been applied");
    server.mode(LoopbackServer.Mode.ECHO);
    CompletableFuture<String> later = c.request("later", Duration.ofSeconds(20));
    assertThat(later.get(20, TimeUnit.SECONDS)).isEqualTo("later");
  }

  @Test
  void aRequestTimesOutWithItsOwnErrorAndTheQueueTimeoutWithAnother() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.SWALLOW);
    MessageConnection<String> c = track(Redial.connection("deadlines", new Lines().codec())
        .endpoint(server.address())
        .correlation(Correlation.fifo())
        .queueTimeout(Duration.ofMillis(200))
        .build());
    c.connect().get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> c.request("slow", Duration.ofMillis(100)).get(10, TimeUnit.SECONDS))
        .hasMessageContaining("REQUEST_TIMEOUT").hasMessageContaining("got no reply within");
    server.stop();
    await().atMost(WAIT).until(() -> c.state() != ConnectionState.CONNECTED);
    assertThatThrownBy(() -> c.send("queued").get(10, TimeUnit.SECONDS))
        .hasMessageContaining("QUEUE_TIMEOUT");
  }

  @Test
  void reconnectReplacesTheChannelNeverTwoAtOnce() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    Recorder rec = new Recorder();
    MessageConnection<String> c = track(Redial.connection("replace", new Lines().codec())
        .endpoint(server.address())
        .correlation(Correlation.fifo())
        .listener(rec)
        .build());
    c.connect().get(10, TimeUnit.SECONDS);
    for (int i = 2; i <= 4; i++) {
      c.reconnect();
      int gen = i;
      await().atMost(WAIT).until(() -> c.generation() == gen
          && c.state() == ConnectionState.CONNECTED);
      assertThat(c.request("ping " + i, Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS))
          .isEqualTo("ping " + i);
    }
    assertThat(server.maxOpen()).isEqualTo(1);
    assertThat(rec.of(ConnectionEvent.StateChanged.class))
        .filteredOn(e -> e.from() == ConnectionState.CONNECTED)
        .allMatch(e -> e.to() == ConnectionState.CONNECTING)
        .hasSize(3);
  }

  @Test
  void referenceCountedMessagesAreReleasedOnEveryPath() throws Exception {
    // ByteBuf messages, raw: the connection owns what it is given; the leak check (PARANOID) runs
    // after this class and fails it on any unreleased buffer
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    List<Integer> received = new CopyOnWriteArrayList<>();
    MessageConnection<ByteBuf> c = track(Redial.connection("buffers",
            Codec.netty(ByteBuf.class, p -> {}, ByteBuf::readableBytes))
        .endpoint(server.address())
        .backoff(Backoff.fixed(Duration.ofMillis(20)))
        .offlineQueue(3, 1_000)
        .onMessage(b -> received.add(b.readableBytes()))
        .build());
    // queued, then refused (queue full), then delivered
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sends.add(c.send(Unpooled.copiedBuffer("abcd", UTF_8)));
    }
    c.connect().get(10, TimeUnit.SECONDS);
    long failed = sends.stream().filter(f -> {
      try {
        f.get(10, TimeUnit.SECONDS);
        return false;
      } catch (Exception e) {
        return true;
      }
    }).count();
    assertThat(failed).isEqualTo(2);
    await().atMost(WAIT).until(() -> received.stream().mapToInt(Integer::intValue).sum() >= 12);
    // through a reconnect and a close with messages still queued
    server.stop();
    await().atMost(WAIT).until(() -> c.state() != ConnectionState.CONNECTED);
    CompletableFuture<Void> unsent = c.send(Unpooled.copiedBuffer("efgh", UTF_8));
    c.close();
    assertThatThrownBy(() -> unsent.get(10, TimeUnit.SECONDS))
        .hasMessageContaining("was not written before");
    // after close: refused and released
    assertThatThrownBy(() -> c.send(Unpooled.copiedBuffer("late", UTF_8))
        .get(10, TimeUnit.SECONDS)).hasMessageContaining("CONNECTION_CLOSED");
  }

  @Test
  void aThrowingReplyKeyOrOnMessageIsLoggedAndNothingHangs() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    List<String> delivered = new CopyOnWriteArrayList<>();
    MessageConnection<String> c = track(Redial.connection("throwing", new Lines().codec())
        .endpoint(server.address())
        .correlation(Correlation.byKey((String m) -> m,
            (String m) -> {
              if (m.startsWith("bad")) {
                throw new IllegalArgumentException("cannot key " + m);
              }
              return m;
            }))
        .onMessage(m -> {
          delivered.add(m);
          throw new IllegalStateException("onMessage boom");
        })
        .build());
    c.connect().get(10, TimeUnit.SECONDS);
    CompletableFuture<String> bad = c.request("bad", Duration.ofMillis(300));
    assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasMessageContaining("REQUEST_TIMEOUT");
    assertThat(c.request("good", Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS))
        .isEqualTo("good");
    c.send("other").get(10, TimeUnit.SECONDS); // answers nothing: onMessage, which throws
    await().atMost(WAIT).until(() -> delivered.contains("other"));
    assertThat(c.request("still", Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS))
        .isEqualTo("still");
    assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(c.generation()).isEqualTo(1);
  }

  @Test
  void badInputGetsAClearErrorNamingWhatIsWrong() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    MessageConnection<String> plain = track(Redial.connection("plain", new Lines().codec())
        .endpoint(server.address()).build());
    assertThatThrownBy(() -> plain.request("x", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("correlation");
    MessageConnection<String> c = track(Redial.connection("bad", new Lines().codec())
        .endpoint(server.address()).correlation(Correlation.fifo()).build());
    assertThatThrownBy(() -> c.request(null, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message must not be null");
    assertThatThrownBy(() -> c.send(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message must not be null");
    assertThatThrownBy(() -> c.request("x", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be a positive duration, but was PT0S");
    assertThatThrownBy(() -> c.request("x", Duration.ofDays(400)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout").hasMessageContaining("at most PT24H")
        .hasMessageContaining("PT9600H");
    assertThatThrownBy(() -> c.request("x", null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("timeout");
    assertThatThrownBy(() -> Redial.connection("x", (Codec<String>) null))
        .hasMessageContaining("codec must not be null");
    assertThatThrownBy(() -> Redial.connection("x", new Lines().codec()).endpoint("127.0.0.1", 1)
        .heartbeat(Heartbeat.every(Duration.ofSeconds(1), Duration.ofSeconds(1), new byte[] {1}))
        .build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Heartbeat.of");
    assertThatThrownBy(() -> Redial.connection("x", new Lines().codec()).queueTimeout(Duration.ZERO))
        .hasMessageContaining("queueTimeout must be a positive duration");
    assertThatThrownBy(() -> Redial.connection("x", new Lines().codec())
        .maxConnectionAge(Duration.ofSeconds(-1)))
        .hasMessageContaining("maxConnectionAge must be a positive duration");
  }

  @Test
  void aCodecThatRefusesOneMessageFailsThatMessageOnly() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    List<String> got = new CopyOnWriteArrayList<>();
    Codec<String> picky = Codec.netty(String.class, p -> {
      p.addLast(new LineBasedFrameDecoder(1024), new StringDecoder(UTF_8));
      p.addLast(new io.netty.handler.codec.MessageToByteEncoder<String>() {
        @Override
        protected void encode(ChannelHandlerContext ctx, String msg, ByteBuf out) {
          if (msg.contains("forbidden")) {
            throw new IllegalArgumentException("cannot encode " + msg);
          }
          out.writeCharSequence(msg + "\n", UTF_8);
        }
      });
    });
    MessageConnection<String> c = track(Redial.connection("picky", picky)
        .endpoint(server.address()).onMessage(got::add).build());
    c.connect().get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> c.send("forbidden").get(10, TimeUnit.SECONDS))
        .hasMessageContaining("CODEC_FAILED").hasMessageContaining("cannot encode forbidden");
    c.send("fine").get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> got.contains("fine"));
    assertThat(c.generation()).isEqualTo(1);
  }

  @Test
  void aTypedHeartbeatPingIsARequestWhoseReplyShiftsNothing() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    List<String> unmatched = new CopyOnWriteArrayList<>();
    AtomicInteger pings = new AtomicInteger();
    MessageConnection<String> c = track(Redial.connection("typed-heartbeat", new Lines().codec())
        .endpoint(server.address())
        .correlation(Correlation.fifo())
        .heartbeat(Heartbeat.of(Duration.ofMillis(50), Duration.ofSeconds(2),
            () -> "PING " + pings.incrementAndGet()))
        .onMessage(unmatched::add)
        .build());
    c.connect().get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> pings.get() >= 3);
    // pings interleave with requests on the wire; their echoes are consumed in their own slots
    for (int i = 0; i < 50; i++) {
      assertThat(c.request("r" + i, Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS))
          .isEqualTo("r" + i);
    }
    assertThat(unmatched).as("ping replies never reach onMessage").isEmpty();
    assertThat(c.generation()).isEqualTo(1);

    // a ping nobody answers: the heartbeat is missed and the channel replaced
    server.mode(LoopbackServer.Mode.SWALLOW);
    await().atMost(WAIT).until(() -> c.generation() >= 2);
  }

  @Test
  void noHeartbeatPingPrecedesTheHandshake() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    AtomicInteger early = new AtomicInteger();
    AtomicInteger pings = new AtomicInteger();
    MessageConnection<?>[] self = new MessageConnection<?>[1];
    MessageConnection<String> c = track(Redial.connection("slow-hello", new Lines().codec())
        .endpoint(server.address())
        .correlation(Correlation.fifo())
        .heartbeat(Heartbeat.of(Duration.ofMillis(20), Duration.ofSeconds(5), () -> {
          if (self[0].state() != ConnectionState.CONNECTED) {
            early.incrementAndGet();
          }
          return "PING " + pings.incrementAndGet();
        }))
        // a handshake slower than many heartbeat intervals
        .handshake(session -> session.request("HELLO", Duration.ofSeconds(5))
            .thenCompose(reply -> CompletableFuture.runAsync(() -> {},
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS))))
        .build());
    self[0] = c;
    c.connect().get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> pings.get() >= 3);
    assertThat(early.get()).as("pings made before CONNECTED").isZero();
  }

  /** A handler that is not {@code @Sharable}: Netty refuses to add one instance twice. */
  static final class NotSharable extends ChannelInboundHandlerAdapter {}

  @Test
  void aCodecThatReusesOneHandlerInstanceFailsItsSecondAttemptClearly() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    NotSharable reused = new NotSharable(); // the classic hand-rolled reconnect bug
    Recorder rec = new Recorder();
    MessageConnection<String> c = track(Redial.connection("reused",
            Codec.netty(String.class, p -> p.addLast(reused)))
        .endpoint(server.address())
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .maxAttempts(2)
        .listener(rec)
        .build());
    c.connect().get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> server.accepted() == 1);
    server.closeAll();
    assertThat(c.awaitState(ConnectionState.CLOSED, WAIT)).isTrue();
    var failures = rec.of(ConnectionEvent.AttemptFailed.class);
    assertThat(failures).isNotEmpty().allMatch(f -> f.socketError().name().equals("CODEC_FAILED"));
    assertThat(failures.get(0).error()).hasMessageContaining("is not a @Sharable handler");
  }
}
