package io.redial.testkit;

import static io.redial.testkit.Wire.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@RedialTest
class EchoServerTest {

  @Test
  void echoesLengthPrefixedFrames(EchoServer echo) throws IOException {
    assertThat(echo.mode()).isEqualTo(EchoMode.LENGTH_PREFIXED);
    try (Socket s = connect(echo.address())) {
      byte[] a = "one".getBytes(StandardCharsets.US_ASCII);
      byte[] b = "two!".getBytes(StandardCharsets.US_ASCII);
      // Two frames in one write: the server must cut them apart.
      s.getOutputStream().write(concat(Wire.lengthPrefixed(a), Wire.lengthPrefixed(b)));
      assertThat(Wire.readFrame(s)).isEqualTo(a);
      assertThat(Wire.readFrame(s)).isEqualTo(b);
      assertThat(echo.framesEchoed()).isEqualTo(2);
    }
  }

  @Test
  void echoesLines(@Echo(EchoMode.LINES) EchoServer echo) throws IOException {
    try (Socket s = connect(echo.address())) {
      s.getOutputStream().write("hi\nthere\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(Wire.readExactly(s, 9), StandardCharsets.US_ASCII)).isEqualTo("hi\nthere\n");
      await().atMost(Duration.ofSeconds(5)).until(() -> echo.framesEchoed() == 2);
    }
  }

  @Test
  void observersSeeEachSocketsFramesAndItsClose() throws IOException {
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicInteger sockets = new AtomicInteger();
    try (EchoServer echo = EchoServer.builder(EchoMode.LENGTH_PREFIXED).maxFrameBytes(8)
        .observer(() -> {
          int id = sockets.incrementAndGet();
          return new SocketObserver() {
            @Override
            public void frame(ByteBuffer payload) {
              byte[] b = new byte[payload.remaining()];
              payload.get(b);
              seen.add(id + ":" + new String(b, StandardCharsets.US_ASCII));
            }

            @Override
            public void closed() {
              seen.add(id + ":closed");
            }
          };
        }).start()) {
      try (Socket a = connect(echo.address()); Socket b = connect(echo.address())) {
        a.getOutputStream().write(Wire.lengthPrefixed("one".getBytes(StandardCharsets.US_ASCII)));
        assertThat(Wire.readFrame(a)).asString(StandardCharsets.US_ASCII).isEqualTo("one");
        b.getOutputStream().write(Wire.lengthPrefixed("two".getBytes(StandardCharsets.US_ASCII)));
        assertThat(Wire.readFrame(b)).asString(StandardCharsets.US_ASCII).isEqualTo("two");
        // Nine bytes: over the builder's limit, so the socket is closed unread.
        b.getOutputStream().write(new byte[] {0, 0, 0, 9});
        assertThat(b.getInputStream().read()).isEqualTo(-1);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 4);
      assertThat(seen).containsExactlyInAnyOrder("1:one", "2:two", "1:closed", "2:closed");
      assertThat(seen.indexOf("1:one")).isLessThan(seen.indexOf("1:closed"));
    }
    assertThatThrownBy(() -> EchoServer.builder(EchoMode.RAW).maxFrameBytes(0))
        .hasMessage("maxFrameBytes is 0; allowed: 1 to " + EchoServer.MAX_FRAME_BYTES);
  }

  @Test
  void oversizedFramesCloseTheConnectionInsteadOfBuffering(EchoServer echo) throws IOException {
    try (Socket s = connect(echo.address())) {
      s.getOutputStream().write(new byte[] {0x7f, 0, 0, 0});
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void stopClosesEverythingAndRestartListensOnTheSamePort(@Echo(EchoMode.RAW) EchoServer echo) throws IOException {
    try (Socket s = connect(echo.address())) {
      s.getOutputStream().write(1);
      assertThat(s.getInputStream().read()).isEqualTo(1);
      echo.stop();
      assertThat(echo.isRunning()).isFalse();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThatThrownBy(() -> connect(echo.address()).close()).isInstanceOf(ConnectException.class);
    echo.restart();
    try (Socket s = connect(echo.address())) {
      s.getOutputStream().write(2);
      assertThat(s.getInputStream().read()).isEqualTo(2);
    }
    assertThat(echo.totalAccepted()).isEqualTo(2);
  }

  @Test
  void stopHasStoppedListeningWhenItReturns(@Echo(EchoMode.RAW) EchoServer echo) throws IOException {
    for (int i = 0; i < 30; i++) {
      echo.stop();
      assertThatThrownBy(() -> connect(echo.address()).close()).as("round %d", i).isInstanceOf(ConnectException.class);
      echo.restart();
      try (Socket s = connect(echo.address())) {
        s.getOutputStream().write(i);
        assertThat(s.getInputStream().read()).isEqualTo(i);
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
