package io.redial.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A real loopback TCP server on one selector thread, for tests: it counts accepted sockets,
 * echoes (or swallows) what it reads, and can close, reset, stop and restart on the same port.
 *
 * <p>Double-connect detection: at every accept, before counting, it reads every other open
 * socket without blocking and drops those the client already closed (a client closes its old
 * socket before connecting the new one, and on loopback the FIN is processed before the SYN).
 * What is still open then was open at the same moment as the new socket: {@link #maxOpen()}.
 */
public final class LoopbackServer implements AutoCloseable {
  /** What the server does with bytes it reads. */
  public enum Mode { ECHO, SWALLOW, SILENT_ACCEPT }

  private final Selector selector;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger maxOpen = new AtomicInteger();
  private final List<SocketChannel> clients = new ArrayList<>(); // selector thread only
  private volatile BiConsumer<SocketChannel, byte[]> onBytes = (c, b) -> {};
  private volatile Mode mode;
  private volatile boolean running = true;
  private ServerSocketChannel server; // selector thread only once started
  private final int port;

  private LoopbackServer(int port, Mode mode) throws IOException {
    this.mode = mode;
    this.selector = Selector.open();
    this.server = bind(port);
    this.port = ((InetSocketAddress) server.getLocalAddress()).getPort();
    this.thread = new Thread(this::run, "loopback-server-" + this.port);
    thread.setDaemon(true);
    thread.start();
  }

  /** An echo server on an ephemeral loopback port. */
  public static LoopbackServer start() throws IOException {
    return new LoopbackServer(0, Mode.ECHO);
  }

  public static LoopbackServer start(Mode mode) throws IOException {
    return new LoopbackServer(0, mode);
  }

  public int port() {
    return port;
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  public int accepted() {
    return accepted.get();
  }

  /** Sockets open now, as of the last look (accept or command). */
  public int open() {
    return call(() -> {
      purgeClosed(null);
      return open.get();
    });
  }

  /** The most sockets ever open at the same moment. */
  public int maxOpen() {
    return maxOpen.get();
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  /**
   * Called on the server thread with every chunk read and the socket it came from (for frame
   * parsing by tests). The callback may call this server's methods (they run directly).
   */
  public void onBytes(BiConsumer<SocketChannel, byte[]> consumer) {
    this.onBytes = consumer;
  }

  /** Orderly close (FIN) of every accepted socket. */
  public void closeAll() {
    call(() -> {
      for (SocketChannel c : new ArrayList<>(clients)) {
        drop(c);
      }
      return null;
    });
  }

  /** Abortive close (RST, SO_LINGER 0) of every accepted socket. */
  public void resetAll() {
    call(() -> {
      for (SocketChannel c : new ArrayList<>(clients)) {
        try {
          c.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
          // closing anyway
        }
        drop(c);
      }
      return null;
    });
  }

  /** Stops listening and closes every socket: new connects are refused when this returns. */
  public void stop() {
    closeListenerAndClients();
    // the kernel may release the listening socket a moment after close() returns; until it has,
    // a client could still land in the old backlog, never to be accepted
    for (int i = 0; i < 100; i++) {
      try (java.net.Socket probe = new java.net.Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      } catch (IOException refused) {
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    throw new IllegalStateException("port " + port + " still accepts connections after stop()");
  }

  private void closeListenerAndClients() {
    call(() -> {
      // a registered channel's socket is released at the next select: stop listening first,
      // so that no client can reconnect into the old listener's backlog
      if (server != null) {
        closeNow(server);
        server = null;
      }
      for (SocketChannel c : new ArrayList<>(clients)) {
        drop(c);
      }
      return null;
    });
  }

  /** Listens again on the same port. */
  public void restart() {
    call(() -> {
      if (server == null) {
        server = bind(port);
      }
      return null;
    });
  }

  @Override
  public void close() {
    if (!running) {
      return;
    }
    closeListenerAndClients();
    running = false;
    selector.wakeup();
    try {
      thread.join(5_000);
      selector.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // best effort
    }
  }

  private ServerSocketChannel bind(int port) throws IOException {
    ServerSocketChannel s = ServerSocketChannel.open();
    s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    s.bind(new InetSocketAddress("127.0.0.1", port), 128);
    s.configureBlocking(false);
    s.register(selector, SelectionKey.OP_ACCEPT);
    return s;
  }

  private interface IoCall<T> {
    T call() throws IOException;
  }

  private <T> T call(IoCall<T> body) {
    if (Thread.currentThread() == thread) {
      try {
        return body.call();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    }
    CompletableFuture<T> f = new CompletableFuture<>();
    commands.add(() -> {
      try {
        f.complete(body.call());
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    selector.wakeup();
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("loopback server command failed", e);
    }
  }

  private void run() {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    while (running) {
      try {
        selector.select(100);
        Runnable c;
        while ((c = commands.poll()) != null) {
          c.run();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            SocketChannel ch = ((ServerSocketChannel) key.channel()).accept();
            if (ch == null) {
              continue;
            }
            ch.configureBlocking(false);
            purgeClosed(buf);
            clients.add(ch);
            accepted.incrementAndGet();
            int now = open.incrementAndGet();
            maxOpen.accumulateAndGet(now, Math::max);
            if (mode != Mode.SILENT_ACCEPT) {
              ch.register(selector, SelectionKey.OP_READ);
            }
          } else if (key.isReadable()) {
            readFrom((SocketChannel) key.channel(), buf);
          }
        }
        selector.selectedKeys().clear();
      } catch (IOException | RuntimeException e) {
        // keep serving; a test sees the effect through its assertions
      }
    }
  }

  /** Reads what is there; drops the socket at end of stream or on error (reset). */
  private int readFrom(SocketChannel ch, ByteBuffer buf) {
    try {
      buf.clear();
      int n = ch.read(buf);
      if (n < 0) {
        drop(ch);
        return -1;
      }
      if (n == 0) {
        return 0;
      }
      buf.flip();
      byte[] bytes = new byte[n];
      buf.get(bytes);
      onBytes.accept(ch, bytes);
      if (mode == Mode.ECHO) {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (out.hasRemaining() && System.nanoTime() < deadline) {
          ch.write(out); // loopback test traffic: the client reads as fast as it writes
        }
      }
      return n;
    } catch (IOException e) {
      drop(ch);
      return -1;
    }
  }

  /** Drops sockets whose client has closed them (EOF or reset pending). */
  private void purgeClosed(ByteBuffer scratch) {
    ByteBuffer buf = scratch != null ? scratch : ByteBuffer.allocate(64 * 1024);
    for (SocketChannel c : new ArrayList<>(clients)) {
      if (mode == Mode.SILENT_ACCEPT) {
        // not reading: peek for end of stream without consuming data
        continue;
      }
      for (int i = 0; i < 10_000 && readFrom(c, buf) > 0; i++) {
        // drain what is buffered, down to end of stream if the client closed
      }
    }
  }

  private void drop(SocketChannel ch) {
    if (clients.remove(ch)) {
      open.decrementAndGet();
    }
    try {
      closeNow(ch);
    } catch (IOException ignored) {
      // closed anyway
    }
  }

  /**
   * Closes a channel at once. NIO defers closing a channel registered with a selector until the
   * next select: deregister it first, so the FIN (or RST) goes out, or the port is free, now.
   */
  private void closeNow(java.nio.channels.SelectableChannel ch) throws IOException {
    SelectionKey key = ch.keyFor(selector);
    if (key != null) {
      key.cancel();
      selector.selectNow();
    }
    ch.close();
  }
}
