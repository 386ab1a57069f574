package io.redial;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.redial.testing.Recorder;
import io.redial.testing.UnixEchoServer;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unix domain sockets, on NIO and on epoll, against a JDK {@code ServerSocketChannel} bound to a
 * socket file: echo, a server restart with what was queued meanwhile delivered after it, never two
 * sockets open at once, and a missing socket file reported as such, then retried after the
 * backoff.
 */
class UnixSocketIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private Path dir;
  private EventLoopGroup group;

  @BeforeEach
  void tempDir() throws Exception {
    dir = Files.createTempDirectory("redial-uds");
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  private EventLoopGroup group(String transport) {
    IoHandlerFactory factory;
    if (transport.equals("epoll")) {
      assertThat(Epoll.isAvailable()).as("the epoll transport loads here").isTrue();
      factory = EpollIoHandler.newFactory();
    } else {
      factory = NioIoHandler.newFactory();
    }
    group = new MultiThreadIoEventLoopGroup(1, factory);
    return group;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"nio", "epoll"})
  void echoesSurvivesARestartAndDeliversWhatWasQueuedWithOneSocketAtATime(String transport)
      throws Exception {
    Recorder rec = new Recorder();
    List<String> received = new CopyOnWriteArrayList<>();
    try (UnixEchoServer server = UnixEchoServer.start(dir.resolve("echo.sock"));
        Connection c = Redial.connection("uds-" + transport)
            .endpoint(server.address())
            .eventLoopGroup(group(transport))
            .backoff(Backoff.fixed(Duration.ofMillis(50)))
            .onMessage(m -> received.add(new String(m, UTF_8)))
            .listener(rec)
            .build()) {
      c.connect().get(10, TimeUnit.SECONDS);
      c.send("one".getBytes(UTF_8)).get(10, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> received.contains("one"));

      server.stop(); // closes every socket and removes the file
      await().atMost(WAIT).until(() -> rec.of(ConnectionEvent.AttemptFailed.class).stream()
          .anyMatch(f -> f.socketError().name().equals("NO_SOCKET_FILE")));
      CompletableFuture<Void> queued = c.send("two".getBytes(UTF_8));
      server.listen();

      queued.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> received.contains("two"));
      assertThat(received).containsExactly("one", "two");
      assertThat(server.accepted()).isEqualTo(2);
      assertThat(server.maxOpen()).isEqualTo(1);
      ConnectionEvent.AttemptFailed missing = rec.of(ConnectionEvent.AttemptFailed.class).stream()
          .filter(f -> f.socketError().name().equals("NO_SOCKET_FILE")).findFirst().orElseThrow();
      assertThat(missing.endpoint()).isEqualTo("unix:" + server.address().getPath());
      assertThat(missing.error()).hasMessageContaining("no socket file at "
          + server.address().getPath());
      assertThat(missing.nextDelay()).isEqualTo(Optional.of(Duration.ofMillis(50)));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"nio", "epoll"})
  void aMissingSocketFileFailsEachAttemptWithItsOwnErrorThenBacksOff(String transport) {
    Recorder rec = new Recorder();
    Path none = dir.resolve("none.sock");
    try (Connection c = Redial.connection("uds-missing-" + transport)
        .endpoint(UnixDomainSocketAddress.of(none))
        .eventLoopGroup(group(transport))
        .backoff(Backoff.fixed(Duration.ofMillis(20)))
        .maxAttempts(2)
        .listener(rec)
        .build()) {
      assertThatThrownBy(() -> c.connect().get(10, TimeUnit.SECONDS))
          .cause().isInstanceOf(RedialException.class)
          .hasMessageContaining("no socket file at " + none)
          .satisfies(e -> assertThat(((RedialException) e).error().name())
              .isEqualTo("NO_SOCKET_FILE"));
      List<ConnectionEvent.AttemptFailed> failed = rec.of(ConnectionEvent.AttemptFailed.class);
      assertThat(failed).hasSize(2);
      assertThat(failed.get(0).nextDelay()).contains(Duration.ofMillis(20));
      assertThat(failed).allSatisfy(f -> assertThat(f.socketError().name())
          .isEqualTo("NO_SOCKET_FILE"));
    }
  }
}
