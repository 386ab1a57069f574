package io.redial.agent.programs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Bug: two threads connect the same socket. To keep the first connect pending long enough, the
 * server never accepts and its backlog is filled first, so the kernel drops further SYNs.
 */
public final class TwoThreadsConnect {
  public static void main(String[] args) throws Exception {
    List<Socket> fillers = new ArrayList<>();
    try (LoopbackServer server = LoopbackServer.neverAccepting()) {
      InetSocketAddress address = server.address();
      fillBacklog(address, fillers);
      Socket shared = new Socket();
      Thread first = new Thread(() -> connect(shared, address), "connector-1");
      first.start();
      // Past the agent's advice and into the JDK's implementation, where it waits for the SYN-ACK.
      Threads.awaitFrame(first, "NioSocketImpl.connect",
          e -> e.getClassName().endsWith("NioSocketImpl") && e.getMethodName().equals("connect"));
      try {
        shared.connect(address, 5_000); // MARK: second-thread
      } catch (IOException e) {
        System.out.println("main thread: " + e);
      }
      shared.close();
      first.join(TimeUnit.SECONDS.toMillis(10));
    } finally {
      for (Socket s : fillers) {
        s.close();
      }
    }
  }

  private static void connect(Socket socket, InetSocketAddress address) {
    try {
      socket.connect(address, 2_000); // MARK: first-thread
    } catch (IOException e) {
      System.out.println("connector-1: " + e);
    }
  }

  /** Connects until one connect times out: from then on the backlog is full. */
  private static void fillBacklog(InetSocketAddress address, List<Socket> fillers)
      throws IOException {
    for (int i = 0; i < 16; i++) {
      Socket filler = new Socket();
      fillers.add(filler);
      try {
        filler.connect(address, 300);
      } catch (SocketTimeoutException full) {
        return;
      }
    }
    throw new IllegalStateException("the backlog never filled up");
  }
}
