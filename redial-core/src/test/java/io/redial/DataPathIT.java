package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.redial.internal.ManagedConnection;
import io.redial.testing.FrameParser;
import io.redial.testing.LoopbackServer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Frames, the offline queue and reconnects on real loopback sockets. */
class DataPathIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  /** What a server received: frame numbers in arrival order, and which socket each came on. */
  static final class Received {
    // synchronized lists, not copy-on-write: the server must keep up with 100 000 frames, or the
    // frames piling up in a dead socket's kernel buffers (lost, by TCP's rules) grow with its lag
    final List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> socketIndex = Collections.synchronizedList(new ArrayList<>());
    private final Map<SocketChannel, FrameParser> parsers = new HashMap<>();
    private final Map<SocketChannel, Integer> index = new HashMap<>();

    /** Runs on the server thread. Returns the number of frames completed by this chunk. */
    int feed(SocketChannel ch, byte[] bytes) {
      FrameParser p = parsers.computeIfAbsent(ch, c -> new FrameParser());
      int idx = index.computeIfAbsent(ch, c -> index.size());
      List<byte[]> frames = p.feed(bytes);
      for (byte[] f : frames) {
        seqs.add(FrameParser.number(f));
        socketIndex.add(idx);
      }
      return frames.size();
    }
  }

  private LoopbackServer server(LoopbackServer.Mode mode) throws Exception {
    LoopbackServer s = LoopbackServer.start(mode);
    toClose.add(s);
    return s;
  }


  @Test
  void hundredThousandFramesThroughRandomDropsArriveInOrderWithoutDuplicates() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.SWALLOW);
    Received received = new Received();
    SplittableRandom random = new SplittableRandom(42);
    AtomicInteger drops = new AtomicInteger();
    int[] untilDrop = {1_000 + random.nextInt(3_000)};
    server.onBytes((ch, bytes) -> {
      untilDrop[0] -= received.feed(ch, bytes);
      // no drop near the end: frames written into a socket that dies after the last send could
      // be lost in its kernel buffer with nothing left to notice (the test would wait forever)
      boolean nearEnd = !received.seqs.isEmpty()
          && received.seqs.get(received.seqs.size() - 1) > 90_000;
      if (untilDrop[0] <= 0 && drops.get() < 30 && !nearEnd) {
        // drop at a random point of the stream, often in the middle of a frame
        if (drops.incrementAndGet() % 2 == 0) {
          server.resetAll();
        } else {
          server.closeAll();
        }
        untilDrop[0] = 1_000 + random.nextInt(3_000);
      }
    });
    Connection c = Redial.connection("numbered")
        .endpoint(server.address())
        .backoff(Backoff.fixed(Duration.ofMillis(5)))
        .build();
    toClose.add(c);
    c.connect().get(10, TimeUnit.SECONDS);

    int total = 100_000;
    Semaphore window = new Semaphore(2_000);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> futures = new ArrayList<>(total);
    for (long seq = 1; seq <= total; seq++) {
      assertThat(window.tryAcquire(30, TimeUnit.SECONDS)).as("send window").isTrue();
      CompletableFuture<Void> f = c.send(FrameParser.numbered(seq, 24));
      f.whenComplete((v, t) -> {
        if (t != null) {
          failures.add(t);
        }
        window.release();
      });
      futures.add(f);
    }
    CompletableFuture.allOf(futures.stream()
            .map(f -> f.exceptionally(t -> null)).toArray(CompletableFuture[]::new))
        .get(60, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> received.seqs.contains((long) total));

    assertThat(failures).as("failed sends (each must be explained)").isEmpty();
    assertThat(drops.get()).isGreaterThanOrEqualTo(15);
    List<Long> seqs;
    List<Integer> sockets;
    synchronized (received.seqs) {
      seqs = List.copyOf(received.seqs);
    }
    synchronized (received.socketIndex) {
      sockets = List.copyOf(received.socketIndex);
    }
    for (int i = 1; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).as("in order, no duplicate, at %d", i).isGreaterThan(seqs.get(i - 1));
      if (seqs.get(i) != seqs.get(i - 1) + 1) {
        // a gap is only allowed where a socket died: bytes in a dead socket's kernel buffers are
        // beyond what TCP can report
        assertThat(sockets.get(i)).as("gap %d..%d within one socket", seqs.get(i - 1), seqs.get(i))
            .isNotEqualTo(sockets.get(i - 1));
      }
    }
    long missing = total - seqs.size();
    System.out.printf("100000 frames, %d drops, %d reconnects: %d frames lost in dead sockets' "
        + "kernel buffers, 0 duplicates, 0 out of order%n", drops.get(),
        c.stats().connects() - 1, missing);
    assertThat(c.stats().queuedFrames()).isZero();
    assertThat(c.stats().queuedBytes()).isZero();
    assertThat(c.stats().framesSent()).isEqualTo(total);
  }

  @Test
  void framesSentWhileTheServerIsDownArriveInOrderBeforeLaterFrames() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.SWALLOW);
    Received received = new Received();
    server.onBytes(received::feed);
    server.stop();
    Connection c = Redial.connection("offline")
        .endpoint(server.address())
        .backoff(Backoff.fixed(Duration.ofMillis(20)))
        .build();
    toClose.add(c);
    CompletableFuture<Connection> connected = c.connect();
    List<CompletableFuture<Void>> early = new ArrayList<>();
    for (long seq = 1; seq <= 1_000; seq++) {
      early.add(c.send(FrameParser.numbered(seq, 0)));
    }
    ((ManagedConnection<?, ?>) c).barrier().get(10, TimeUnit.SECONDS); // the sends are handled
    assertThat(c.stats().queuedFrames()).isEqualTo(1_000);
    assertThat(early).noneMatch(CompletableFuture::isDone);
    server.restart();
    connected.get(10, TimeUnit.SECONDS);
    List<CompletableFuture<Void>> late = new ArrayList<>();
    for (long seq = 1_001; seq <= 2_000; seq++) {
      late.add(c.send(FrameParser.numbered(seq, 0)));
    }
    CompletableFuture.allOf(early.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    CompletableFuture.allOf(late.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> received.seqs.size() == 2_000);
    for (int i = 0; i < 2_000; i++) {
      assertThat(received.seqs.get(i)).isEqualTo(i + 1L);
    }
  }

  @Test
  void aFullOfflineQueueRefusesTheNextSendAtOnceAndKeepsWhatIsQueued() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.SWALLOW);
    Received received = new Received();
    server.onBytes(received::feed);
    Connection c = Redial.connection("bounded")
        .endpoint(server.address())
        .offlineQueue(5, 1_000)
        .build();
    toClose.add(c);
    List<CompletableFuture<Void>> queued = new ArrayList<>();
    for (long seq = 1; seq <= 5; seq++) {
      queued.add(c.send(FrameParser.numbered(seq, 0)));
    }
    CompletableFuture<Void> refused = c.send(FrameParser.numbered(6, 0));
    assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RedialException.class)
        .hasMessageContaining("offline queue is full")
        .hasMessageContaining("maxFrames 5")
        .satisfies(t -> assertThat(((RedialException) t).error().name()).isEqualTo("QUEUE_FULL"));
    assertThat(c.stats().queuedFrames()).isEqualTo(5);

    c.connect().get(10, TimeUnit.SECONDS);
    CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> received.seqs.size() == 5);
    assertThat(received.seqs).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void theByteBoundOfTheQueueCountsToo() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.SWALLOW);
    Connection c = Redial.connection("bytes").endpoint(server.address())
        .offlineQueue(100, 10).build();
    toClose.add(c);
    CompletableFuture<Void> first = c.send(new byte[8]);
    assertThatThrownBy(() -> c.send(new byte[3]).join())
        .cause().hasMessageContaining("maxBytes 10").hasMessageContaining("8 of");
    assertThat(first).isNotDone();
    assertThat(c.stats().queuedBytes()).isEqualTo(8);
  }

  @Test
  void aPeerThatStopsReadingMakesTheChannelUnwritableAndTheSameBoundsApply() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.SILENT_ACCEPT);
    Connection c = Redial.connection("backpressure").endpoint(server.address())
        .offlineQueue(1_000, 1024 * 1024).build();
    toClose.add(c);
    c.connect().get(10, TimeUnit.SECONDS);
    byte[] frame = new byte[1024];
    CompletableFuture<Void> refused = null;
    int sent = 0;
    while (refused == null && sent < 200_000) { // 200 MiB at most: far beyond any socket buffer
      List<CompletableFuture<Void>> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++, sent++) {
        batch.add(c.send(frame));
      }
      ((ManagedConnection<?, ?>) c).barrier().get(10, TimeUnit.SECONDS); // the batch is handled
      ConnectionStats stats = c.stats();
      assertThat(stats.queuedFrames()).isLessThanOrEqualTo(1_000);
      assertThat(stats.queuedBytes()).isLessThanOrEqualTo(1024 * 1024);
      refused = batch.stream().filter(CompletableFuture::isCompletedExceptionally)
          .findFirst().orElse(null);
    }
    assertThat(refused).as("a send refused once socket buffers and queue are full").isNotNull();
    assertThatThrownBy(refused::join).cause().hasMessageContaining("offline queue is full")
        .hasMessageContaining("(CONNECTED)");
    assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(c.stats().framesSent()).isLessThan(sent);
  }

  @Test
  void rejectWhileDisconnectedFailsSendsAtOnce() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.SWALLOW);
    Connection c = Redial.connection("strict").endpoint(server.address())
        .rejectWhileDisconnected().build();
    toClose.add(c);
    assertThatThrownBy(() -> c.send(new byte[] {1}).join())
        .cause().isInstanceOf(RedialException.class)
        .hasMessageContaining("not connected (IDLE)");
    c.connect().get(10, TimeUnit.SECONDS);
    c.send(new byte[] {1}).get(10, TimeUnit.SECONDS);
  }

  @Test
  void badSendsGetClearErrors() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.SWALLOW);
    Connection c = Redial.connection("bad").endpoint(server.address())
        .framing(Framing.lengthPrefixed(16)).build();
    toClose.add(c);
    assertThatThrownBy(() -> c.send(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("frame must not be null");
    assertThatThrownBy(() -> c.send(new byte[17])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 16 bytes").hasMessageContaining("was 17");
    Connection lines = Redial.connection("lines").endpoint(server.address())
        .framing(Framing.lines(100)).build();
    toClose.add(lines);
    assertThatThrownBy(() -> lines.send("a\nb".getBytes()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 1");
    c.close();
    assertThatThrownBy(() -> c.send(new byte[1]).join())
        .cause().isInstanceOf(RedialException.class).hasMessageContaining("closed");
  }

  @Test
  void closeFlushesWhatIsQueuedThenFailsNothing() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.SWALLOW);
    Received received = new Received();
    server.onBytes(received::feed);
    Connection c = Redial.connection("graceful").endpoint(server.address()).build();
    toClose.add(c);
    c.connect().get(10, TimeUnit.SECONDS);
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (long seq = 1; seq <= 5_000; seq++) {
      sent.add(c.send(FrameParser.numbered(seq, 100)));
    }
    c.closeAsync().get(10, TimeUnit.SECONDS);
    assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
    assertThat(sent).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    await().atMost(WAIT).until(() -> received.seqs.size() == 5_000);
  }

  @Test
  void closeWhileDisconnectedFailsQueuedFramesWithTheReason() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.SWALLOW);
    server.stop();
    Connection c = Redial.connection("unsent").endpoint(server.address())
        .backoff(Backoff.fixed(Duration.ofSeconds(30))).build();
    CompletableFuture<Void> f = c.send(new byte[] {1, 2, 3});
    c.connect();
    c.close();
    assertThatThrownBy(f::join).cause().isInstanceOf(RedialException.class)
        .hasMessageContaining("frame of 3 bytes was not written before connection 'unsent' closed");
    assertThat(c.stats().queuedFrames()).isZero();
  }

  @Test
  void inboundFramesReachOnMessageAndAThrowingHandlerDoesNotKillTheConnection() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    List<Long> got = new CopyOnWriteArrayList<>();
    Connection c = Redial.connection("echo").endpoint(server.address())
        .onMessage(frame -> {
          long seq = FrameParser.number(frame);
          got.add(seq);
          if (seq % 2 == 0) {
            throw new IllegalStateException("handler bug on " + seq);
          }
        })
        .build();
    toClose.add(c);
    c.connect().get(10, TimeUnit.SECONDS);
    for (long seq = 1; seq <= 100; seq++) {
      c.send(FrameParser.numbered(seq, 4));
    }
    await().atMost(WAIT).until(() -> got.size() == 100);
    assertThat(got).isSorted().doesNotHaveDuplicates();
    assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(c.generation()).isEqualTo(1);
    assertThat(c.stats().framesReceived()).isEqualTo(100);
    assertThat(c.stats().bytesReceived()).isEqualTo(100 * 12);
  }

  @Test
  void closeFromOnMessageOnTheEventLoopDoesNotDeadlock() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    java.util.concurrent.atomic.AtomicReference<Connection> self =
        new java.util.concurrent.atomic.AtomicReference<>();
    Connection c = Redial.connection("self-closing").endpoint(server.address())
        .onMessage(frame -> self.get().close())
        .build();
    self.set(c);
    toClose.add(c);
    c.connect().get(10, TimeUnit.SECONDS);
    c.send(new byte[] {1});
    assertThat(c.awaitState(ConnectionState.CLOSED, Duration.ofSeconds(10))).isTrue();
    assertThat(c.closeAsync()).succeedsWithin(Duration.ofSeconds(10));
  }

  @Test
  void linesAndRawFraming() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.ECHO);
    List<String> lines = new CopyOnWriteArrayList<>();
    Connection c = Redial.connection("lines").endpoint(server.address())
        .framing(Framing.lines(64))
        .onMessage(b -> lines.add(new String(b, java.nio.charset.StandardCharsets.UTF_8)))
        .build();
    toClose.add(c);
    c.connect().get(10, TimeUnit.SECONDS);
    c.send("hello".getBytes());
    c.send("world".getBytes());
    await().atMost(WAIT).until(() -> lines.size() == 2);
    assertThat(lines).containsExactly("hello", "world");

    java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
    Connection r = Redial.connection("raw").endpoint(server.address())
        .framing(Framing.raw())
        .onMessage(b -> {
          synchronized (raw) {
            raw.writeBytes(b);
          }
        })
        .build();
    toClose.add(r);
    r.connect().get(10, TimeUnit.SECONDS);
    r.send(new byte[] {1, 2});
    r.send(new byte[] {3});
    await().atMost(WAIT).until(() -> {
      synchronized (raw) {
        return raw.size() == 3;
      }
    });
    synchronized (raw) {
      assertThat(raw.toByteArray()).containsExactly(1, 2, 3);
    }
  }

  @Test
  void sendsAfterCloseFailEvenUnderConcurrentCalls() throws Exception {
    LoopbackServer server = server(LoopbackServer.Mode.SWALLOW);
    Connection c = Redial.connection("race").endpoint(server.address()).build();
    c.connect().get(10, TimeUnit.SECONDS);
    c.close();
    CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(
        CompletionException.class, () -> c.send(new byte[1]).join());
    assertThat(((RedialException) e.getCause()).error().name()).isEqualTo("CONNECTION_CLOSED");
  }
}
