package io.redial.bench.internal;

import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The loopback echo servers of the scenario benchmarks, in a process of their own, so that their
 * sockets count against their own file-descriptor limit and their objects stay out of the heap
 * being measured. Arguments: loopback addresses ({@code 127.0.0.2}); each gets a length-prefixed
 * {@link EchoServer} on an ephemeral port. Prints {@code LISTEN host:port} for each, then
 * {@code READY}. Commands on stdin, each answered with {@code OK}: {@code stop} (a crashed
 * server), {@code restart}, {@code quit}. End of stdin (the parent died) also quits.
 */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args.length > 64) {
      throw new IllegalArgumentException(
          "expected 1..64 loopback addresses, but got " + args.length + " arguments");
    }
    List<EchoServer> servers = new ArrayList<>();
    try {
      for (String a : args) {
        InetAddress ip = InetAddress.getByName(a);
        if (!ip.isLoopbackAddress()) {
          throw new IllegalArgumentException("address must be a loopback address, but was " + a);
        }
        EchoServer s = EchoServer.start(EchoMode.LENGTH_PREFIXED, new InetSocketAddress(ip, 0));
        servers.add(s);
        System.out.println("LISTEN " + s.address().getAddress().getHostAddress() + ":"
            + s.address().getPort());
      }
      System.out.println("READY");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        switch (line.strip()) {
          case "stop" -> servers.forEach(EchoServer::stop);
          case "restart" -> servers.forEach(EchoServer::restart);
          case "quit" -> {
            System.out.println("OK");
            return;
          }
          default -> {
            System.out.println("ERROR unknown command '" + line + "'; allowed: stop, restart, quit");
            continue;
          }
        }
        System.out.println("OK");
        System.out.flush();
      }
    } finally {
      servers.forEach(EchoServer::close);
    }
  }
}
