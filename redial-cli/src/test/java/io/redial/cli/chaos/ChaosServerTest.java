package io.redial.cli.chaos;

import io.redial.cli.server.FrameSockets;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The soak's echo server with plain JDK sockets: a connection with two live sockets is caught. */
class ChaosServerTest {
  private static final Duration GRACE = Duration.ofMillis(100);
  private final ChaosServer server =
      new ChaosServer(System::nanoTime, GRACE.toNanos());

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
      echo(first, ChaosFrames.data(4, 0, 0));
      echo(other, ChaosFrames.ping(5));
      echo(second, ChaosFrames.ping(4)); // connection 4 again, while its first socket is open
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.doubleConnects() == 1);
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.openSockets() == 0);
    assertThat(server.doubleConnects()).isEqualTo(1);
    assertThat(server.corrupt()).isZero();
  }

  @Test
  void aSocketClosedWithinTheGraceIsNotADoubleConnect() throws Exception {
    try (Socket second = open()) {
      try (Socket first = open()) {
        echo(first, ChaosFrames.ping(7));
      }
      // The first socket's close is under way: which the server sees first is a race.
      echo(second, ChaosFrames.data(7, 0, 0));
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.openSockets() == 1);
      Awaitility.await().during(GRACE.multipliedBy(3)).atMost(Duration.ofSeconds(5))
          .until(() -> server.doubleConnects() == 0);
    }
  }

  @Test
  void garbageAndAnotherConnectionsFrameAreCorrupt() throws Exception {
    try (Socket s = open()) {
      echo(s, ChaosFrames.ping(1));
      echo(s, ChaosFrames.ping(2)); // a socket of connection 1 speaking for 2
      echo(s, new byte[] {'X', 1, 2});
    }
    assertThat(server.corrupt()).isEqualTo(2);
  }

  @Test
  void restartListensAgainOnTheSamePort() throws Exception {
    try (Socket s = open()) {
      echo(s, ChaosFrames.ping(1));
      server.stop();
      assertThat(s.getInputStream().read()).isEqualTo(-1); // the crash dropped the socket
    }
    server.restart();
    try (Socket s = open()) {
      echo(s, ChaosFrames.ping(1));
    }
  }
}
