package io.redial.testkit.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback address where a TCP connect stays pending: a listener that never accepts, its backlog
 * filled, so the kernel drops further SYNs (Linux does) and the connecting side keeps retrying.
 */
public final class HangingTarget implements AutoCloseable {
  private static final int MAX_FILLERS = 16;
  private static final Duration PENDING = Duration.ofMillis(300);

  private final ServerSocketChannel listener;
  private final List<SocketChannel> fillers;

  private HangingTarget(ServerSocketChannel listener, List<SocketChannel> fillers) {
    this.listener = listener;
    this.fillers = fillers;
  }

  /** A hanging target, or null if connects would not hang here. */
  public static HangingTarget open() throws IOException {
    ServerSocketChannel listener = ServerSocketChannel.open();
    List<SocketChannel> fillers = new ArrayList<>();
    try {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
      for (int i = 0; i < MAX_FILLERS; i++) {
        SocketChannel filler = SocketChannel.open();
        fillers.add(filler);
        filler.configureBlocking(false);
        if (filler.connect(listener.getLocalAddress())) {
          continue;
        }
        if (!completes(filler)) {
          return new HangingTarget(listener, fillers); // this one is pending: the backlog is full
        }
      }
    } catch (IOException | RuntimeException e) {
      closeAll(listener, fillers);
      throw e;
    }
    closeAll(listener, fillers);
    return null;
  }

  private static boolean completes(SocketChannel filler) {
    return Poll.until(filler::finishConnect, PENDING, Duration.ofMillis(10), Duration.ofMillis(10));
  }

  /** Where connects hang. */
  public InetSocketAddress address() {
    try {
      return (InetSocketAddress) listener.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    closeAll(listener, fillers);
  }

  private static void closeAll(ServerSocketChannel listener, List<SocketChannel> fillers) {
    for (SocketChannel f : fillers) {
      try {
        f.close();
      } catch (IOException ignored) {
        // closing a filler of a test fixture: nothing to do about it
      }
    }
    try {
      listener.close();
    } catch (IOException ignored) {
      // same
    }
  }
}
