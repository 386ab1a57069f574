package io.redial.testing;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A loopback echo server as a separate process, so a test can pause it with SIGSTOP. Prints its
 * port on the first line of stdout; exits when stdin closes.
 */
public final class EchoMain {
  private EchoMain() {}

  public static void main(String[] args) throws Exception {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    System.out.println(server.getLocalPort());
    System.out.flush();
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // wait for the parent to close stdin
        }
      } catch (Exception ignored) {
        // parent gone
      }
      System.exit(0);
    });
    watchdog.setDaemon(true);
    watchdog.start();
    while (true) {
      Socket s = server.accept();
      Thread t = new Thread(() -> echo(s));
      t.setDaemon(true);
      t.start();
    }
  }

  /** Echoes what {@code s} reads until end of stream or an error, then closes it. */
  public static void echo(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (Exception ignored) {
      // the client went away, or (TLS) its handshake failed
    }
  }
}
