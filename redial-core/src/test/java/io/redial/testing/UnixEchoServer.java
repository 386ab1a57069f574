package io.redial.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An echo server on a Unix domain socket file: a JDK {@link ServerSocketChannel} (not Netty, not
 * Redial), one blocking thread per socket. Counts what the one-live-channel check needs.
 */
public final class UnixEchoServer implements AutoCloseable {
  private final Path path;
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger maxOpen = new AtomicInteger();
  private final List<SocketChannel> clients = new CopyOnWriteArrayList<>();
  private volatile ServerSocketChannel server;

  private UnixEchoServer(Path path) {
    this.path = path;
  }

  /** Listens on a socket file at {@code path} (which must not exist yet). */
  public static UnixEchoServer start(Path path) throws IOException {
    UnixEchoServer s = new UnixEchoServer(path);
    s.listen();
    return s;
  }

  public UnixDomainSocketAddress address() {
    return UnixDomainSocketAddress.of(path);
  }

  public int accepted() {
    return accepted.get();
  }

  /** The most sockets ever open at the same moment. */
  public int maxOpen() {
    return maxOpen.get();
  }

  /** Listens again after {@link #stop()}. */
  public synchronized void listen() throws IOException {
    ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    ch.bind(UnixDomainSocketAddress.of(path));
    server = ch;
    Thread t = new Thread(() -> acceptLoop(ch), "unix-echo-accept");
    t.setDaemon(true);
    t.start();
  }

  /** Closes the listener and every socket, and removes the socket file. */
  public synchronized void stop() throws IOException {
    ServerSocketChannel ch = server;
    server = null;
    if (ch != null) {
      ch.close();
    }
    for (SocketChannel c : clients) {
      c.close();
    }
    Files.deleteIfExists(path);
  }

  private void acceptLoop(ServerSocketChannel ch) {
    while (ch.isOpen()) {
      SocketChannel c;
      try {
        c = ch.accept();
      } catch (IOException closed) {
        return;
      }
      accepted.incrementAndGet();
      maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
      clients.add(c);
      Thread t = new Thread(() -> echo(c), "unix-echo");
      t.setDaemon(true);
      t.start();
    }
  }

  private void echo(SocketChannel c) {
    ByteBuffer buf = ByteBuffer.allocate(8192);
    try (c) {
      while (c.read(buf) >= 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          c.write(buf);
        }
        buf.clear();
      }
    } catch (IOException closed) {
      // the peer or stop() closed it
    } finally {
      clients.remove(c);
      open.decrementAndGet();
    }
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
