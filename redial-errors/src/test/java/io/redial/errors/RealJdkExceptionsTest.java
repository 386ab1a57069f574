package io.redial.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/**
 * The exceptions this JDK really throws, provoked on loopback, are classified as the catalog
 * says: the wording recorded in the catalog is the wording the JDK uses.
 */
class RealJdkExceptionsTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private static String classify(Throwable t) {
    assertThat(t).as("the operation should have failed").isNotNull();
    return SocketErrors.of(t).map(SocketError::name).orElse("<none: " + t + ">");
  }

  @Test
  void connectingAConnectedSocketAgain() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        Socket socket = new Socket()) {
      socket.connect(server.getLocalSocketAddress(), 5_000);
      Throwable t = catchThrowable(() -> socket.connect(server.getLocalSocketAddress(), 5_000));
      assertThat(t).hasMessageContainingAll("lready connected");
      assertThat(classify(t)).isEqualTo("WSAEISCONN");
    }
  }

  @Test
  void connectingAConnectedChannelAgain() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        SocketChannel channel = SocketChannel.open(server.getLocalSocketAddress())) {
      Throwable t = catchThrowable(() -> channel.connect(server.getLocalSocketAddress()));
      assertThat(classify(t)).isEqualTo("WSAEISCONN");
    }
  }

  @Test
  void connectingWhileAConnectIsPending() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        SocketChannel channel = SocketChannel.open()) {
      channel.configureBlocking(false);
      if (channel.connect(server.getLocalSocketAddress())) {
        return; // loopback connected at once: no pending state to provoke on this OS
      }
      Throwable t = catchThrowable(() -> channel.connect(server.getLocalSocketAddress()));
      assertThat(classify(t)).isEqualTo("WSAEALREADY");
    }
  }

  @Test
  void connectingWhereNothingListens() throws Exception {
    InetSocketAddress closed;
    try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
      closed = (InetSocketAddress) server.getLocalSocketAddress();
    }
    try (Socket socket = new Socket()) {
      assertThat(classify(catchThrowable(() -> socket.connect(closed, 5_000))))
          .isEqualTo("WSAECONNREFUSED");
    }
    try (SocketChannel channel = SocketChannel.open()) {
      assertThat(classify(catchThrowable(() -> channel.connect(closed))))
          .isEqualTo("WSAECONNREFUSED");
    }
  }

  @Test
  void usingClosedSocketsAndChannels() throws Exception {
    Socket socket = new Socket();
    socket.close();
    assertThat(classify(catchThrowable(() -> socket.connect(
        new InetSocketAddress(LOOPBACK, 9), 1_000)))).isEqualTo("SOCKET_CLOSED");

    SocketChannel channel = SocketChannel.open();
    channel.close();
    assertThat(classify(catchThrowable(() -> channel.write(ByteBuffer.allocate(1)))))
        .isEqualTo("CHANNEL_CLOSED");
  }

  @Test
  void writingBeforeConnecting() throws Exception {
    try (SocketChannel channel = SocketChannel.open()) {
      assertThat(classify(catchThrowable(() -> channel.write(ByteBuffer.allocate(1)))))
          .isEqualTo("WSAENOTCONN");
    }
  }

  @Test
  void connectingAnUnresolvedAddress() throws Exception {
    try (SocketChannel channel = SocketChannel.open()) {
      // createUnresolved never touches DNS, so this stays off the network.
      assertThat(classify(catchThrowable(() -> channel.connect(
          InetSocketAddress.createUnresolved("redial.invalid", 9))))).isEqualTo("WSAHOST_NOT_FOUND");
    }
  }
}
