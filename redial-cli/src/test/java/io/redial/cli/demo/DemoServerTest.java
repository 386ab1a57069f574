package io.redial.cli.demo;

import io.redial.cli.server.FrameSockets;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The demo server with plain JDK sockets: a client that really connects twice is caught. */
class DemoServerTest {
  private static final Duration GRACE = Duration.ofMillis(100);
  private final Ledger ledger = new Ledger(GRACE.toNanos());
  private final DemoServer server = new DemoServer(ledger, System::nanoTime);

  @AfterEach
  void stop() {
    server.close();
  }

  private Socket open() throws IOException {
    return FrameSockets.open(server.address());
  }

  private static void echo(Socket s, byte[] payload) throws IOException {
    FrameSockets.echo(s, payload);
  }

  @Test
  void twoLiveSocketsOfOneConnectionAreADoubleConnect() throws Exception {
    try (Socket first = open(); Socket second = open(); Socket other = open()) {
      echo(first, Protocol.ping(4));
      echo(first, Protocol.data(4, 0, 0));
      echo(other, Protocol.ping(5));
      echo(second, Protocol.ping(4)); // connection 4 again, while its first socket is open
      Awaitility.await().atMost(Duration.ofSeconds(5))
          .until(() -> ledger.counts(System.nanoTime()).doubleConnects() == 1);
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.openSockets() == 0);
    Ledger.Counts c = ledger.counts(System.nanoTime());
    assertThat(c.doubleConnects()).isEqualTo(1);
    assertThat(c.openSockets()).isZero();
    assertThat(c.socketsSeen()).isEqualTo(3);
    assertThat(c.distinctReceived()).isEqualTo(1);
  }

  @Test
  void aReplacedSocketThatClosesIsNone() throws Exception {
    try (Socket first = open()) {
      echo(first, Protocol.ping(4));
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.openSockets() == 0);
    try (Socket second = open()) {
      echo(second, Protocol.ping(4));
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.openSockets() == 0);
    assertThat(ledger.counts(System.nanoTime() + 10 * GRACE.toNanos()).doubleConnects()).isZero();
  }

  @Test
  void garbageIsCountedAndRestartListensOnTheSamePort() throws Exception {
    try (Socket s = open()) {
      echo(s, new byte[] {'X', 1, 2});
    }
    server.stop();
    server.restart();
    try (Socket s = open()) {
      echo(s, Protocol.data(0, 1, 0));
    }
    assertThat(ledger.counts(System.nanoTime()).corrupt()).isEqualTo(1);
  }
}
