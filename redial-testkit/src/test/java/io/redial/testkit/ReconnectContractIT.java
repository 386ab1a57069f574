package io.redial.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestExecutionResult.Status;

/**
 * The contract tested both ways, through the JUnit Platform: a small correct client passes every
 * scenario, and a naive client that reuses its {@code SocketChannel} on reconnect — the WSAEISCONN
 * bug — fails, with the bug named. The two contract subclasses are nested classes, so the normal
 * test runs (which skip nested classes) do not run them on their own.
 */
class ReconnectContractIT {
  private static final List<String> SCENARIOS = List.of(
      "connectFromSixteenThreadsOpensExactlyOneConnection",
      "connectWhileConnectedIsANoOp",
      "reconnectsAfterServerRestart",
      "reconnectsAfterResetByPeer",
      "backsOffWhileRefusedThenReconnects",
      "detectsBlackholeWithinDeclaredBound",
      "closeDuringConnectLeavesNoSocket",
      "reconnectCyclesDoNotGrowOpenFileDescriptors");

  @Test
  void aCorrectClientPassesEveryScenario() {
    Map<String, TestExecutionResult> results = Launch.run(SimpleClientContract.class);
    assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(SCENARIOS);
    results.forEach((name, result) ->
        assertThat(result.getStatus()).as(name + ": " + Launch.describe(result)).isEqualTo(Status.SUCCESSFUL));
  }

  @Test
  void aClientThatReusesItsSocketChannelFailsWithTheBugNamed() {
    Map<String, TestExecutionResult> results = Launch.run(NaiveClientContract.class);
    assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(SCENARIOS);
    for (String name : List.of("connectFromSixteenThreadsOpensExactlyOneConnection", "connectWhileConnectedIsANoOp",
        "reconnectsAfterServerRestart", "reconnectsAfterResetByPeer", "reconnectCyclesDoNotGrowOpenFileDescriptors")) {
      TestExecutionResult r = results.get(name);
      assertThat(r.getStatus()).as(name).isEqualTo(Status.FAILED);
      assertThat(Launch.describe(r)).as(name)
          .contains("java.nio.channels.AlreadyConnectedException")
          .contains("WSAEISCONN / EISCONN");
    }
    // Refusals: it never retries on its own, so it cannot pass either.
    assertThat(results.get("backsOffWhileRefusedThenReconnects").getStatus()).isEqualTo(Status.FAILED);
  }

  @Test
  void aClientThatRetriesWithoutBackoffFailsTheBackoffScenario() {
    TestExecutionResult hot = Launch.run(HotLoopClientContract.class, "backsOffWhileRefusedThenReconnects");
    assertThat(hot.getStatus()).isEqualTo(Status.FAILED);
    assertThat(Launch.describe(hot)).contains("a retry loop without backoff");
    TestExecutionResult fixed = Launch.run(FixedDelayClientContract.class, "backsOffWhileRefusedThenReconnects");
    assertThat(fixed.getStatus()).isEqualTo(Status.FAILED);
    assertThat(Launch.describe(fixed)).contains("the retry delays the client planned while refused should grow");
  }

  /** Retries at once, every time: a hot loop. */
  static class HotLoopClientContract extends ReconnectContract {
    @Override
    protected ClientAdapter newClient(InetSocketAddress target) {
      return new SimpleClient(target, 0, 1);
    }
  }

  /** Retries every 50 ms, and says so: no growth. */
  static class FixedDelayClientContract extends ReconnectContract {
    @Override
    protected ClientAdapter newClient(InetSocketAddress target) {
      return new SimpleClient(target, 50, 1);
    }
  }

  /** The contract against {@link SimpleClient}. */
  static class SimpleClientContract extends ReconnectContract {
    @Override
    protected ClientAdapter newClient(InetSocketAddress target) {
      return new SimpleClient(target);
    }

    @Override
    protected int reconnectCycles() {
      return 100;
    }
  }

  /** The contract against {@link NaiveClient}: must fail. */
  static class NaiveClientContract extends ReconnectContract {
    @Override
    protected ClientAdapter newClient(InetSocketAddress target) throws IOException {
      return new NaiveClient(target);
    }
  }

  private static byte[] frame(byte[] payload) {
    return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
  }

  /**
   * A small blocking client done right: a fresh {@code SocketChannel} for every attempt, its state
   * behind one lock, reconnecting on its own with exponential backoff, and a heartbeat that notices
   * a connection passing nothing.
   */
  @SuppressWarnings("try") // close() may throw InterruptedException: it waits for its timer thread
  static final class SimpleClient implements ClientAdapter {
    private static final byte[] PING = "\u0000ping".getBytes(StandardCharsets.US_ASCII);
    private static final long INITIAL_BACKOFF_MS = 20;
    private static final long MAX_BACKOFF_MS = 1_000;
    private static final long HEARTBEAT_MS = 100;
    private static final long HEARTBEAT_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(600);

    private final InetSocketAddress target;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "simple-client");
      t.setDaemon(true);
      return t;
    });
    private final LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>(10_000);
    private final AtomicLong attempts = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Object writeLock = new Object();
    /** Guarded by lock: non-null only while connected. */
    private SocketChannel channel;
    /** Guarded by lock: non-null while an attempt is in flight, so close() can abort it. */
    private SocketChannel connecting;
    private boolean wanted;
    private boolean closed;
    private boolean retryScheduled;
    private final long initialBackoffMs;
    private final long backoffMultiplier;
    /** Guarded by lock. */
    private long backoffMs;
    private final List<Duration> planned = new CopyOnWriteArrayList<>();
    /** When the current channel last delivered anything (System.nanoTime). */
    private volatile long lastHeard;

    SimpleClient(InetSocketAddress target) {
      this(target, INITIAL_BACKOFF_MS, 2);
    }

    SimpleClient(InetSocketAddress target, long initialBackoffMs, long backoffMultiplier) {
      this.target = target;
      this.initialBackoffMs = initialBackoffMs;
      this.backoffMultiplier = backoffMultiplier;
      this.backoffMs = initialBackoffMs;
      timer.scheduleAtFixedRate(this::heartbeat, HEARTBEAT_MS, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void connect() {
      lock.lock();
      try {
        if (closed) {
          throw new IllegalStateException("closed");
        }
        if (wanted) {
          return; // connecting or connected already: single flight
        }
        wanted = true;
      } finally {
        lock.unlock();
      }
      submit(this::attempt, 0);
    }

    private void attempt() {
      SocketChannel ch;
      lock.lock();
      try {
        retryScheduled = false;
        if (closed || channel != null || connecting != null) {
          return;
        }
        try {
          ch = SocketChannel.open();
        } catch (IOException e) {
          scheduleRetryLocked();
          return;
        }
        connecting = ch;
        attempts.incrementAndGet();
      } finally {
        lock.unlock();
      }
      try {
        ch.connect(target);
      } catch (IOException e) {
        closeQuietly(ch);
        lock.lock();
        try {
          connecting = null;
          scheduleRetryLocked();
        } finally {
          lock.unlock();
        }
        return;
      }
      lock.lock();
      try {
        connecting = null;
        if (closed) {
          closeQuietly(ch);
          return;
        }
        lastHeard = System.nanoTime();
        channel = ch;
        backoffMs = initialBackoffMs;
      } finally {
        lock.unlock();
      }
      Thread reader = new Thread(() -> read(ch), "simple-client-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void scheduleRetryLocked() {
      if (closed || retryScheduled) {
        return;
      }
      retryScheduled = true;
      long delay = backoffMs;
      planned.add(Duration.ofMillis(delay));
      backoffMs = Math.min(backoffMs * backoffMultiplier, MAX_BACKOFF_MS);
      submit(this::attempt, delay);
    }

    private void submit(Runnable task, long delayMs) {
      try {
        timer.schedule(task, delayMs, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // closed meanwhile
      }
    }

    private void read(SocketChannel ch) {
      try {
        DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
        for (long frames = 0; frames < Long.MAX_VALUE; frames++) {
          int len = in.readInt();
          if (len < 0 || len > EchoServer.MAX_FRAME_BYTES) {
            throw new IOException("bad frame length " + len);
          }
          byte[] payload = new byte[len];
          in.readFully(payload);
          lastHeard = System.nanoTime();
          if (!Arrays.equals(payload, PING)) {
            inbox.offer(payload);
          }
        }
      } catch (IOException e) {
        lost(ch);
      }
    }

    private void heartbeat() {
      SocketChannel ch;
      lock.lock();
      try {
        ch = channel;
      } finally {
        lock.unlock();
      }
      if (ch == null) {
        return;
      }
      if (System.nanoTime() - lastHeard > HEARTBEAT_TIMEOUT_NANOS) {
        lost(ch);
        return;
      }
      try {
        write(ch, PING);
      } catch (IOException e) {
        lost(ch);
      }
    }

    private void lost(SocketChannel ch) {
      lock.lock();
      try {
        if (channel != ch) {
          return; // an old channel's late news
        }
        channel = null;
        closeQuietly(ch);
        scheduleRetryLocked();
      } finally {
        lock.unlock();
      }
    }

    private void write(SocketChannel ch, byte[] payload) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(frame(payload));
      synchronized (writeLock) {
        for (int i = 0; i < 1_000 && b.hasRemaining(); i++) {
          ch.write(b);
        }
      }
    }

    @Override
    public boolean isConnected() {
      lock.lock();
      try {
        return channel != null;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void send(byte[] payload) throws IOException {
      SocketChannel ch;
      lock.lock();
      try {
        ch = channel;
      } finally {
        lock.unlock();
      }
      if (ch == null) {
        throw new IOException("not connected");
      }
      try {
        write(ch, payload);
      } catch (IOException e) {
        lost(ch);
        throw e;
      }
    }

    @Override
    public byte[] receive(Duration timeout) throws InterruptedException {
      return inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public Duration blackholeDetectionBound() {
      return Duration.ofSeconds(2);
    }

    @Override
    public long connectAttempts() {
      return attempts.get();
    }

    @Override
    public List<Duration> plannedRetryDelays() {
      return List.copyOf(planned);
    }

    @Override
    public void close() throws InterruptedException {
      SocketChannel a;
      SocketChannel b;
      lock.lock();
      try {
        closed = true;
        a = channel;
        b = connecting;
        channel = null;
        connecting = null;
      } finally {
        lock.unlock();
      }
      closeQuietly(a);
      closeQuietly(b);
      timer.shutdownNow();
      timer.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static void closeQuietly(SocketChannel ch) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // already broken; nothing more to release
        }
      }
    }
  }

  /**
   * The bug, on purpose: one {@code SocketChannel} for the client's whole life, and "reconnect"
   * calls {@code connect()} on it again. Java says AlreadyConnectedException; Winsock says WSAEISCONN.
   */
  static final class NaiveClient implements ClientAdapter {
    private final InetSocketAddress target;
    private final SocketChannel channel;

    NaiveClient(InetSocketAddress target) throws IOException {
      this.target = target;
      this.channel = SocketChannel.open();
    }

    @Override
    public void connect() throws IOException {
      channel.connect(target);
    }

    private void reconnect() throws IOException {
      channel.connect(target); // reuses the connected channel: the bug
    }

    @Override
    public boolean isConnected() {
      return channel.isConnected();
    }

    @Override
    public void send(byte[] payload) throws IOException {
      try {
        channel.write(ByteBuffer.wrap(frame(payload)));
      } catch (IOException e) {
        reconnect();
        channel.write(ByteBuffer.wrap(frame(payload)));
      }
    }

    @Override
    public byte[] receive(Duration timeout) throws IOException {
      channel.socket().setSoTimeout((int) Math.max(1, timeout.toMillis()));
      try {
        InputStream in = channel.socket().getInputStream();
        DataInputStream data = new DataInputStream(in);
        int len = data.readInt();
        if (len < 0 || len > EchoServer.MAX_FRAME_BYTES) {
          throw new IOException("bad frame length " + len);
        }
        byte[] payload = new byte[len];
        data.readFully(payload);
        return payload;
      } catch (SocketTimeoutException e) {
        return null;
      } catch (EOFException e) {
        reconnect();
        return null;
      } catch (IOException e) {
        reconnect();
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
