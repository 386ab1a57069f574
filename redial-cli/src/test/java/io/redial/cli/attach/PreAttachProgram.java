package io.redial.cli.attach;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A program with a socket that exists before the agent is attached. It prints "ready", waits for
 * a line on stdin (sent once the agent is in), then does what {@code args[0]} says with that
 * socket, prints "done" and exits. Its server is its own, on loopback.
 */
public final class PreAttachProgram {
  private PreAttachProgram() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      InetSocketAddress to = (InetSocketAddress) server.getLocalAddress();
      SocketChannel ch = SocketChannel.open();
      switch (mode) {
        case "double", "clean" -> ch.connect(to); // MARK: before-attach
        case "pending" -> {
          ch.configureBlocking(false);
          System.out.println("connected at once: " + ch.connect(to));
        }
        case "closed" -> {
          ch.connect(to);
          ch.close();
        }
        default -> throw new IllegalArgumentException("mode " + mode);
      }
      System.out.println("ready");
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      if (in.readLine() == null) {
        return;
      }
      try {
        if (mode.equals("clean")) {
          ch.close();
          try (SocketChannel fresh = SocketChannel.open()) {
            fresh.connect(to);
          }
        } else {
          ch.connect(to); // MARK: after-attach
        }
      } catch (Exception e) {
        System.out.println("after attach: " + e);
      }
      ch.close();
      System.out.println("done");
    }
  }
}
