package io.redial;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redial.testing.LoopbackServer;
import io.redial.testing.Readme;
import io.redial.testing.UnixEchoServer;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The README's endpoints example, run against a Unix-socket echo server and a loopback one; and
 * the README shows exactly this code (the test compares them).
 */
class ReadmeEndpointsExampleIT {
  // --- README endpoints example ---
  static Connection discovered(Supplier<List<SocketAddress>> registry, Consumer<byte[]> onMessage) {
    return Redial.connection("inventory")
        .endpoints(registry)                                 // asked at every sweep
        .shuffleEndpoints()                                  // a fleet spreads over them
        .maxConnectionAge(Duration.ofMinutes(10))            // rebalance, follow DNS changes
        .onMessage(onMessage)
        .build();
  }

  static Connection sidecar(Path socketFile, int tcpPort, Consumer<byte[]> onMessage) {
    return Redial.connection("sidecar")
        .endpoint(UnixDomainSocketAddress.of(socketFile))    // a socket file: NIO or epoll
        .endpoint("localhost", tcpPort)                      // else TCP; every address of the name
        .onMessage(onMessage)
        .build();
  }
  // --- end of endpoints example ---

  @Test
  void theEndpointsExampleRuns() throws Exception {
    Path dir = Files.createTempDirectory("redial-readme");
    List<String> received = new CopyOnWriteArrayList<>();
    Consumer<byte[]> collect = m -> received.add(new String(m, UTF_8));
    try (UnixEchoServer unix = UnixEchoServer.start(dir.resolve("app.sock"));
        LoopbackServer tcp = LoopbackServer.start()) {
      try (Connection c = discovered(() -> List.of(unix.address(), tcp.address()), collect)) {
        c.connect().get(20, TimeUnit.SECONDS);
        c.send("discovered".getBytes(UTF_8)).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> received.contains("discovered"));
      }
      assertThat(unix.accepted() + tcp.accepted()).isEqualTo(1);
      try (Connection c = sidecar(dir.resolve("app.sock"), tcp.port(), collect)) {
        c.connect().get(20, TimeUnit.SECONDS);
        c.send("sidecar".getBytes(UTF_8)).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> received.contains("sidecar"));
      }
      assertThat(unix.accepted()).isGreaterThanOrEqualTo(1);
      unix.stop(); // no socket file: the sidecar falls back to TCP
      int tcpBefore = tcp.accepted();
      try (Connection c = sidecar(dir.resolve("app.sock"), tcp.port(), collect)) {
        c.connect().get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> tcp.accepted() == tcpBefore + 1);
      }
    } finally {
      Files.deleteIfExists(dir.resolve("app.sock"));
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void theReadmeShowsThisCode() throws Exception {
    Readme.assertShows("src/test/java/io/redial/ReadmeEndpointsExampleIT.java",
        "README endpoints example", "end of endpoints example");
  }
}
