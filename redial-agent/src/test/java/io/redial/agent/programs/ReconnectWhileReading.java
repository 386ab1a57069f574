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
      Threads.awaitFrame(reader, "SocketChannelImpl.read", e -> e.getMethodName().equals("read")
          && e.getClassName().endsWith("SocketChannelImpl"));
      Thread reconnector = new Thread(() -> reconnect(channel, address), "reconnector");
      reconnector.start();
      Threads.awaitState(reconnector, Thread.State.WAITING); // parked on the channel's read lock
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
}
