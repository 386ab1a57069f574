package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redial.testing.EchoMain;
import io.redial.testing.LoopbackServer;
import io.redial.testing.Recorder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Half-open connections: the peer's socket is there but nothing comes back. Only the application
 * heartbeat can tell (TCP would retransmit for ~15 minutes). Detection must come within
 * interval + timeout, plus scheduling slack on a shared machine.
 */
class HalfOpenIT {
  private static final Duration INTERVAL = Duration.ofMillis(300);
  private static final Duration TIMEOUT = Duration.ofMillis(300);
  /** Generous: the machine is shared; what matters is that detection is bounded, not minutes. */
  private static final Duration SLACK = Duration.ofSeconds(2);
  private static final byte[] PING = {'p'};
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  /** Records when each generation connected and when its heartbeat was missed. */
  static final class Timing implements ConnectionListener {
    final ConcurrentHashMap<Long, Long> connectedAt = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Long, Long> missedAt = new ConcurrentHashMap<>();

    @Override
    public void onEvent(ConnectionEvent event) {
      if (event instanceof ConnectionEvent.StateChanged sc
          && sc.to() == ConnectionState.CONNECTED) {
        connectedAt.put(sc.generation(), System.nanoTime());
      } else if (event instanceof ConnectionEvent.HeartbeatMissed hm) {
        missedAt.put(hm.generation(), System.nanoTime());
      }
    }

    Duration detection(long gen) {
      return Duration.ofNanos(missedAt.get(gen) - connectedAt.get(gen));
    }
  }

  private Connection connection(java.net.InetSocketAddress target, ConnectionListener... ls) {
    ConnectionBuilder b = Redial.connection("half-open")
        .endpoint(target)
        .heartbeat(Heartbeat.every(INTERVAL, TIMEOUT, PING))
        .backoff(Backoff.fixed(Duration.ofMillis(50)));
    for (ConnectionListener l : ls) {
      b.listener(l);
    }
    Connection c = b.build();
    toClose.add(c);
    return c;
  }

  @Test
  void aPeerThatAcceptsAndNeverAnswersIsDetectedThenTheConnectionRecovers() throws Exception {
    LoopbackServer server = LoopbackServer.start(LoopbackServer.Mode.SILENT_ACCEPT);
    toClose.add(server);
    Timing timing = new Timing();
    Recorder rec = new Recorder();
    Connection c = connection(server.address(), timing, rec);
    c.connect().get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> timing.missedAt.containsKey(1L));
    Duration detected = timing.detection(1);
    System.out.printf("silent peer: heartbeat missed %d ms after connect (bound %d ms + slack)%n",
        detected.toMillis(), INTERVAL.plus(TIMEOUT).toMillis());
    assertThat(detected).isGreaterThanOrEqualTo(INTERVAL.plus(TIMEOUT))
        .isLessThan(INTERVAL.plus(TIMEOUT).plus(SLACK));
    var lost = rec.transitions().stream()
        .filter(t -> t.from() == ConnectionState.CONNECTED).findFirst().orElseThrow();
    assertThat(lost.cause().error().name()).isEqualTo("HEARTBEAT_TIMEOUT");

    // the peer answers again: the next connection stays up through several heartbeat rounds
    server.mode(LoopbackServer.Mode.ECHO);
    long stableFrom = c.generation() + 1;
    await().atMost(Duration.ofSeconds(10))
        .until(() -> c.state() == ConnectionState.CONNECTED && c.generation() >= stableFrom);
    long gen = c.generation();
    long received = c.stats().framesReceived();
    await().atMost(Duration.ofSeconds(10)).until(() -> c.stats().framesReceived() >= received + 3);
    assertThat(c.generation()).as("no reconnect while the peer answers pings").isEqualTo(gen);
    assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void aServerProcessPausedWithSigstopIsDetectedAndReconnectedAfterSigcont() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        EchoMain.class.getName()).redirectErrorStream(true).start();
    toClose.add(() -> {
      server.getOutputStream().close();
      signal(server, "CONT");
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    });
    BufferedReader out = new BufferedReader(
        new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    int port = Integer.parseInt(out.readLine().trim());

    Timing timing = new Timing();
    Connection c = connection(new java.net.InetSocketAddress("127.0.0.1", port), timing);
    c.connect().get(10, TimeUnit.SECONDS);
    long received = c.stats().framesReceived();
    await().atMost(Duration.ofSeconds(10)).until(() -> c.stats().framesReceived() >= received + 2);
    assertThat(timing.missedAt).as("a live process answers its pings").isEmpty();

    signal(server, "STOP");
    long stoppedAt = System.nanoTime();
    await().atMost(Duration.ofSeconds(10)).until(() -> !timing.missedAt.isEmpty());
    Duration detected = Duration.ofNanos(timing.missedAt.values().stream()
        .min(Long::compare).orElseThrow() - stoppedAt);
    System.out.printf("SIGSTOPped server: heartbeat missed %d ms after the stop%n",
        detected.toMillis());
    assertThat(detected).isLessThan(INTERVAL.plus(TIMEOUT).plus(SLACK));

    signal(server, "CONT");
    // the connection in place at SIGCONT (the kernel accepted it for the stopped process) may
    // simply start answering, or be replaced once more: either way pings get answered again
    long atCont = c.stats().framesReceived();
    await().atMost(Duration.ofSeconds(15)).until(() ->
        c.state() == ConnectionState.CONNECTED && c.stats().framesReceived() >= atCont + 2);
    long gen = c.generation();
    long now = c.stats().framesReceived();
    await().atMost(Duration.ofSeconds(10)).until(() -> c.stats().framesReceived() >= now + 2);
    assertThat(c.generation()).isEqualTo(gen);
  }

  private static void signal(Process p, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }
}
