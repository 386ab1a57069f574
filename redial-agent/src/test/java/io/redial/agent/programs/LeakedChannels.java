package io.redial.agent.programs;

import java.io.IOException;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/** Bug: 100 connected SocketChannels dropped without close(). */
public final class LeakedChannels {
  static final int LEAKS = 100;

  public static void main(String[] args) throws Exception {
    try (LoopbackServer server = LoopbackServer.closingEach(LEAKS)) {
      for (int i = 0; i < LEAKS; i++) {
        leak(server.address());
      }
      // Two collections, each proven by a sentinel: once the second sentinel is enqueued, every
      // reference the first collection cleared has been handed to its queue.
      awaitCollection();
      awaitCollection();
    }
  }

  private static void leak(InetSocketAddress address) throws IOException {
    SocketChannel channel = SocketChannel.open(address); // MARK: open
    System.out.println("opened " + channel.isConnected());
  }

  private static void awaitCollection() throws InterruptedException {
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), queue);
    for (int i = 0; i < 50; i++) {
      System.gc();
      if (queue.remove(100) == sentinel) {
        return;
      }
    }
    throw new IllegalStateException("no garbage collection within 5 s");
  }
}
