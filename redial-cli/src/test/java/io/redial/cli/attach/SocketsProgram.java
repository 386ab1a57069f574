package io.redial.cli.attach;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Holds a listener, a connected SocketChannel and a connected Socket until stdin ends. */
public final class SocketsProgram {
  private SocketsProgram() {}

  public static void main(String[] args) throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      InetSocketAddress to = (InetSocketAddress) server.getLocalAddress();
      try (SocketChannel ch = SocketChannel.open(to); // MARK: open-channel
          Socket s = new Socket(to.getAddress(), to.getPort())) { // MARK: open-socket
        System.out.println("ready " + ch.getLocalAddress() + " " + s.getLocalSocketAddress());
        System.out.flush();
        System.in.read(); // until the test closes stdin
      }
    }
  }
}
