package io.redial.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each client the bench measures really speaks the protocol and, when it reconnects at all,
 * really comes back after its server went away: a frame echoed, the server stopped (every client
 * reports the loss), restarted (every reconnecting client reports a new connection), and a frame
 * echoed again. Loopback only; every wait bounded.
 */
class PeersIT {
  private static Loops loops;

  @BeforeAll
  static void loops() {
    loops = new Loops(1, "peers-it");
  }

  @AfterAll
  static void close() {
    loops.close();
  }

  static List<String> kinds() {
    return ClientKind.echo().stream().map(ClientKind::name).toList();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void echoesAndComesBackAfterTheServerWasDown(String name) throws Exception {
    ClientKind kind = ClientKind.named(name);
    try (EchoServer server = EchoServer.start(EchoMode.LENGTH_PREFIXED)) {
      Tally tally = new Tally(System::nanoTime);
      LinkedBlockingQueue<byte[]> echoes = new LinkedBlockingQueue<>();
      BenchClient client = kind.opener(loops, bytes -> {
        tally.frame(bytes);
        echoes.add(bytes);
      }, tally).start(server.address());
      try {
        client.firstConnect().get(10, TimeUnit.SECONDS);
        // Reactor Netty runs doOnConnected just after the connect Mono emits, on the same loop
        waitFor(() -> tally.up() == 1, name + " reports its connection");
        assertThat(tally.attempts()).isEqualTo(1);
        roundTrip(client, echoes, new byte[] {1, 2, 3});
        roundTrip(client, echoes, new byte[0]);
        roundTrip(client, echoes, new byte[70_000]); // more than one read

        server.stop();
        waitFor(() -> tally.up() == 0, "the loss reported by " + name);
        if (kind.reconnect().isEmpty()) {
          return; // raw Netty does not reconnect: nothing more to check
        }
        tally.awaitAll(1);
        server.restart();
        waitFor(() -> tally.allUpAt() >= 0, name + " connected again");
        assertThat(tally.up()).isEqualTo(1);
        assertThat(tally.attempts()).isGreaterThanOrEqualTo(2);
        roundTrip(client, echoes, new byte[] {4, 5});
      } finally {
        client.close();
      }
    }
  }

  private static void roundTrip(BenchClient client, LinkedBlockingQueue<byte[]> echoes,
      byte[] frame) throws InterruptedException {
    client.send(frame);
    client.flush();
    byte[] echo = echoes.poll(10, TimeUnit.SECONDS);
    assertThat(echo).as("echo of %d bytes", frame.length).isEqualTo(frame);
  }

  /** Waits up to 30 s (backoffs of 1–2 s plus a busy machine) for {@code condition}. */
  private static void waitFor(java.util.function.BooleanSupplier condition, String what) {
    assertThat(Waits.until(System::nanoTime, 30_000, condition)).as(what).isTrue();
  }
}
