package io.redial.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that misbehaves: each accepted socket is handed to a behaviour on its own
 * thread. Behaviours stop at the first I/O error (the client closed) and are bounded.
 */
public final class HostilePeer implements AutoCloseable {
  /** What to do with one accepted socket. */
  @FunctionalInterface
  public interface Behaviour {
    void run(Socket socket, OutputStream out) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final Thread acceptor;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile Behaviour behaviour;

  public HostilePeer(Behaviour behaviour) throws IOException {
    this.behaviour = behaviour;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.acceptor = new Thread(this::acceptLoop, "hostile-peer");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", server.getLocalPort());
  }

  public int accepted() {
    return accepted.get();
  }

  public void behaviour(Behaviour behaviour) {
    this.behaviour = behaviour;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        accepted.incrementAndGet();
        sockets.add(s);
        Behaviour b = behaviour;
        Thread t = new Thread(() -> {
          try (s) {
            b.run(s, s.getOutputStream());
          } catch (IOException | InterruptedException | RuntimeException e) {
            // the client went away: that is the point of most behaviours
          }
        }, "hostile-peer-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
