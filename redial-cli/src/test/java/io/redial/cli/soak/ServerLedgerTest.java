package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.testkit.EchoServer;
import io.redial.testkit.SocketObserver;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The server side's rules on a fake clock, then on the soak's echo server with plain JDK sockets. */
class ServerLedgerTest {
  private static final long MS = 1_000_000L;
  private static final long GRACE = 2_000 * MS;
  private final AtomicLong now = new AtomicLong();
  private final ServerLedger ledger = new ServerLedger(now::get, GRACE);

  private static void send(SocketObserver socket, byte[] payload) {
    socket.frame(ByteBuffer.wrap(payload).asReadOnlyBuffer());
  }

  @Test
  void countsDistinctFramesAndRepeatsOfOneAttempt() {
    SocketObserver s = ledger.observer();
    send(s, Frames.data(0, 0, 0));
    send(s, Frames.data(0, 1, 0));
    send(s, Frames.data(0, 1, 1)); // a re-send: a new attempt, not a duplicate
    send(s, Frames.data(1, 0, 0)); // another connection on this socket: corrupt
    assertThat(ledger.counts()).isEqualTo(new ServerLedger.Counts(3, 2, 0, 0, 1, 0, 1, 1));
    send(s, Frames.data(0, 1, 1));
    SocketObserver t = ledger.observer();
    send(t, Frames.data(0, 0, 0));
    assertThat(ledger.counts().duplicates()).isEqualTo(2);
  }

  @Test
  void withHandshakesEverySocketsRequestsMustFollowItsHello() {
    ServerLedger hellos = new ServerLedger(now::get, GRACE, true);
    SocketObserver good = hellos.observer();
    send(good, Frames.hello(2, 1));
    send(good, Frames.data(2, 0, 0));
    send(good, Frames.ping(2));
    SocketObserver pingFirst = hellos.observer(); // its HELLO lost: a ping, then nothing
    send(pingFirst, Frames.ping(3));
    send(pingFirst, Frames.ping(3));
    SocketObserver silent = hellos.observer(); // closed before a frame: nothing to judge
    silent.closed();
    assertThat(hellos.counts().requestsBeforeHello()).isZero();
    assertThat(hellos.counts().pingsBeforeHello()).isEqualTo(1);
    SocketObserver bad = hellos.observer();
    send(bad, Frames.ping(5));
    send(bad, Frames.data(5, 0, 0)); // a request before any HELLO
    send(bad, Frames.data(5, 1, 0));
    send(bad, Frames.hello(5, 4));
    ServerLedger.Counts c = hellos.counts();
    assertThat(c.requestsBeforeHello()).isEqualTo(1);
    assertThat(c.pingsBeforeHello()).isEqualTo(2);
    assertThat(c.hellos()).isEqualTo(2);
    assertThat(c.frames()).as("HELLOs are not data frames").isEqualTo(3);
    assertThat(c.corrupt()).isZero();
    // Without handshakes required, the same frames break no rule.
    SocketObserver plain = ledger.observer();
    send(plain, Frames.data(5, 0, 0));
    send(plain, Frames.hello(5, 4));
    assertThat(ledger.counts().requestsBeforeHello()).isZero();
    assertThat(ledger.counts().hellos()).isEqualTo(1);
  }

  @Test
  void firstAttemptsOutOfOrderOnOneSocketOnly() {
    SocketObserver a = ledger.observer();
    send(a, Frames.data(0, 5, 0));
    send(a, Frames.data(0, 9, 0));
    send(a, Frames.data(0, 2, 1)); // re-sends are not ordered
    a.closed();
    SocketObserver b = ledger.observer();
    send(b, Frames.data(0, 7, 0)); // a new socket: a gap in the old one was lost
    send(b, Frames.data(0, 8, 0));
    assertThat(ledger.counts().outOfOrder()).isZero();
    send(b, Frames.data(0, 8, 0));
    send(b, Frames.data(0, 6, 0));
    assertThat(ledger.counts().outOfOrder()).isEqualTo(2);
  }

  @Test
  void anOldSocketClosingWithinTheGraceIsNoDoubleConnect() {
    SocketObserver old = ledger.observer();
    send(old, Frames.ping(3));
    now.set(100 * MS);
    send(ledger.observer(), Frames.data(3, 0, 0)); // the old one's close is still on its way
    now.set(100 * MS + GRACE - 1);
    old.closed();
    now.set(10 * GRACE);
    assertThat(ledger.counts().doubleConnects()).isZero();
  }

  @Test
  void twoSocketsOpenLongerThanTheGraceAreADoubleConnect() {
    SocketObserver old = ledger.observer();
    send(old, Frames.data(3, 0, 0));
    now.set(100 * MS);
    send(ledger.observer(), Frames.ping(3));
    now.set(100 * MS + GRACE);
    assertThat(ledger.counts().doubleConnects()).isZero(); // not yet
    now.set(100 * MS + GRACE + 1);
    assertThat(ledger.counts().doubleConnects()).isEqualTo(1);
    old.closed();
    now.set(100 * GRACE);
    assertThat(ledger.counts().doubleConnects()).isEqualTo(1);
  }

  @Test
  void socketsOfDifferentConnectionsNeverConflict() {
    for (int c = 0; c < 5; c++) {
      send(ledger.observer(), Frames.ping(c));
    }
    now.set(100 * GRACE);
    assertThat(ledger.counts().doubleConnects()).isZero();
    assertThat(ledger.counts().openSockets()).isEqualTo(5);
  }

  @Test
  void forgettingFramesKeepsTheCounts() {
    SocketObserver s = ledger.observer();
    send(s, Frames.data(0, 0, 0));
    send(s, Frames.data(0, 0, 0));
    ServerLedger.Counts before = ledger.counts();
    ledger.forgetFrames();
    assertThat(ledger.counts().duplicates()).isEqualTo(before.duplicates()).isEqualTo(1);
    assertThat(ledger.counts().frames()).isEqualTo(2);
  }

  @Test
  void framesRoundTripAndGarbageIsRejected() {
    assertThat(Frames.parse(Frames.data(7, 123_456_789L, 3)))
        .isEqualTo(new Frames.Frame(Frames.DATA, 7, 123_456_789L, 3));
    assertThat(Frames.parse(Frames.ping(9))).isEqualTo(new Frames.Frame(Frames.PING, 9, 0, 0));
    assertThat(Frames.parse(new byte[0])).isNull();
    assertThat(Frames.parse(new byte[] {'D', 0, 0})).isNull();
    assertThat(Frames.parse(new byte[] {'X', 0, 0, 0, 1})).isNull();
    assertThat(Frames.parse(new byte[] {'P', (byte) 0x80, 0, 0, 1})).as("negative id").isNull();
  }

  /** With real sockets: a connection with two live sockets is caught; garbage is corrupt. */
  @Test
  void onTheSoaksEchoServer() throws Exception {
    ServerLedger real = new ServerLedger(System::nanoTime, Duration.ofMillis(100).toNanos());
    try (EchoServer server = Soak.server(real)) {
      try (Socket first = FrameSockets.open(server.address());
          Socket second = FrameSockets.open(server.address());
          Socket other = FrameSockets.open(server.address())) {
        FrameSockets.echo(first, Frames.data(4, 0, 0));
        FrameSockets.echo(other, Frames.ping(5));
        FrameSockets.echo(second, Frames.ping(4)); // connection 4 again, while its first socket is open
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> real.counts().doubleConnects() == 1);
        FrameSockets.echo(other, new byte[] {'X', 1, 2});
      }
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> real.counts().openSockets() == 0);
      assertThat(real.counts().doubleConnects()).isEqualTo(1);
      assertThat(real.counts().corrupt()).isEqualTo(1);
      restartListensAgainOnTheSamePort(server);
    }
  }

  private static void restartListensAgainOnTheSamePort(EchoServer server) throws IOException {
    try (Socket s = FrameSockets.open(server.address())) {
      FrameSockets.echo(s, Frames.ping(1));
      server.stop();
      assertThat(s.getInputStream().read()).isEqualTo(-1); // the crash dropped the socket
    }
    server.restart();
    try (Socket s = FrameSockets.open(server.address())) {
      FrameSockets.echo(s, Frames.ping(1));
    }
  }
}
