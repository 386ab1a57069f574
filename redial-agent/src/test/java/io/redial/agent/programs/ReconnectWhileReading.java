package io.redial.agent.programs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Bug: one thread reconnects a channel while another is blocked reading it. The JDK makes the
 * connect wait for the read lock, so the misuse only surfaces (as an exception) once the read
 * returns; the agent must report it while the connect is still waiting.
 */
public final class ReconnectWhileReading {
  public static void main(String[] args) throws Exception {
    try (LoopbackServer server = LoopbackServer.echoing(1);
        SocketChannel channel = SocketChannel.open(server.address())) {
      InetSocketAddress address = server.address();
      Thread reader = new Thread(() -> read(channel), "reader");
      reader.start();
      awaitInside(reader, "read");
      Thread reconnector = new Thread(() -> reconnect(channel, address), "reconnector");
      reconnector.start();
      awaitState(reconnector, Thread.State.WAITING); // parked on the channel's read lock
      System.out.println("unblocking the reader");
      channel.write(ByteBuffer.wrap(new byte[] {42})); // echoed back: the read returns
      reader.join(TimeUnit.SECONDS.toMillis(10));
      reconnector.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  private static void read(SocketChannel channel) {
    try {
      System.out.println("read " + channel.read(ByteBuffer.allocate(16)) + " bytes");
    } catch (IOException e) {
      System.out.println("reader: " + e);
    }
  }

  private static void reconnect(SocketChannel channel, InetSocketAddress address) {
    try {
      channel.connect(address); // MARK: reconnect
    } catch (IOException | RuntimeException e) {
      System.out.println("reconnect: " + e);
    }
  }

  /** Waits (bounded) until the thread is inside a method of that name. */
  private static void awaitInside(Thread t, String method) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      for (StackTraceElement e : t.getStackTrace()) {
        if (e.getMethodName().equals(method) && e.getClassName().contains("SocketChannelImpl")) {
          return;
        }
      }
      Thread.onSpinWait();
    }
    throw new IllegalStateException(t.getName() + " never reached " + method);
  }

  private static void awaitState(Thread t, Thread.State state) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (t.getState() != state) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(t.getName() + " never reached " + state);
      }
      Thread.onSpinWait();
    }
  }
}
