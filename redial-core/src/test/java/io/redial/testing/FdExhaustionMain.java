package io.redial.testing;

import io.redial.Backoff;
import io.redial.Connection;
import io.redial.Redial;
import io.redial.RedialException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM under a low {@code ulimit -n}: uses up every file descriptor, then asks a
 * managed connection to connect. Prints {@code RESULT <error name>} when connect() failed with a
 * clear error and close() completed, {@code HUNG …} otherwise.
 */
public final class FdExhaustionMain {
  private FdExhaustionMain() {}

  public static void main(String[] args) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1_000, InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      // the shared event loops (and their epoll descriptors) exist before descriptors run out
      try (Connection warm = Redial.connection("warm").endpoint("127.0.0.1", port).build()) {
        warm.connect().get(10, TimeUnit.SECONDS);
      }
      List<Socket> hog = new ArrayList<>();
      try {
        for (int i = 0; i < 100_000; i++) {
          hog.add(new Socket("127.0.0.1", port));
        }
      } catch (IOException exhausted) {
        System.out.println("descriptors exhausted after " + hog.size() + " sockets: " + exhausted);
      }
      Connection c = Redial.connection("starved").endpoint("127.0.0.1", port)
          .maxAttempts(1).backoff(Backoff.fixed(Duration.ofMillis(10))).build();
      try {
        c.connect().get(10, TimeUnit.SECONDS);
        System.out.println("CONNECTED (descriptors were not exhausted)");
      } catch (ExecutionException e) {
        RedialException re = (RedialException) e.getCause();
        boolean closed;
        try {
          c.closeAsync().get(10, TimeUnit.SECONDS); // waits: the close must end, bounded
          closed = true;
        } catch (java.util.concurrent.TimeoutException notClosed) {
          closed = false;
        }
        if (closed && c.state() == io.redial.ConnectionState.CLOSED) {
          System.out.println("RESULT " + re.error().name() + " " + re.getMessage());
        } else {
          System.out.println("HUNG in close: " + c.state());
        }
      } catch (java.util.concurrent.TimeoutException e) {
        System.out.println("HUNG in connect: " + c.state());
      }
      for (Socket s : hog) {
        s.close();
      }
    }
    System.exit(0);
  }
}
