package io.redial.agent.programs;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

/**
 * A loopback server for the test programs: accepts up to {@code maxAccepts} connections on a
 * daemon thread and either closes each at once or echoes it until the client closes.
 *
 * <p>Not the test kit's {@code EchoServer}, on purpose: it runs inside the program under the
 * agent, which watches the sockets of its whole JVM. A Netty server there would add its own
 * channels, event-loop threads and classes to what the agent reports on (and make the Netty-free
 * programs depend on Netty); a blocking JDK {@code ServerSocket} on one daemon thread is the
 * least a program can carry.
 */
final class LoopbackServer implements AutoCloseable {
  /**
   * Deep enough that a busy machine's slow acceptor never overflows it: an overflow drops the
   * SYN and the client waits a second for the retransmission.
   */
  private static final int BACKLOG = 1024;

  private final ServerSocket server;
  private final Thread acceptor;

  private LoopbackServer(int backlog, int maxAccepts, boolean echo) throws IOException {
    server = new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
    acceptor = new Thread(() -> acceptLoop(maxAccepts, echo), "loopback-server");
    acceptor.setDaemon(true);
  }

  /** A server that closes every accepted connection at once. */
  static LoopbackServer closingEach(int maxAccepts) throws IOException {
    LoopbackServer s = new LoopbackServer(BACKLOG, maxAccepts, false);
    s.acceptor.start();
    return s;
  }

  /** A server that echoes every accepted connection. */
  static LoopbackServer echoing(int maxAccepts) throws IOException {
    LoopbackServer s = new LoopbackServer(BACKLOG, maxAccepts, true);
    s.acceptor.start();
    return s;
  }

  /** A server that never accepts: once its backlog is full, connects to it hang. */
  static LoopbackServer neverAccepting() throws IOException {
    return new LoopbackServer(1, 0, false);
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  private void acceptLoop(int maxAccepts, boolean echo) {
    try {
      for (int i = 0; i < maxAccepts; i++) {
        Socket s = server.accept();
        if (echo) {
          Thread t = new Thread(() -> echo(s), "loopback-echo");
          t.setDaemon(true);
          t.start();
        } else {
          s.close();
        }
      }
    } catch (SocketException closed) {
      // the program closed the server: done
    } catch (IOException e) {
      e.printStackTrace();
    }
  }

  private static void echo(Socket s) {
    try (s; InputStream in = s.getInputStream()) {
      byte[] buf = new byte[1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        s.getOutputStream().write(buf, 0, n);
      }
    } catch (IOException e) {
      // client went away
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
