package io.redial.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * Started by {@link NetNamespaceIT}: prints one {@code key=value} line per check. {@code probe}
 * tries the kernel faults on a loopback listener of its own; {@code create} makes a namespace,
 * prints its name and then waits (to be killed) or exits without closing it (the hook's test).
 */
public final class NamespaceChild {
  private NamespaceChild() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "probe" -> probe();
      case "create" -> create(args[1]);
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void probe() throws IOException {
    System.out.println("current=" + NetNamespace.current().orElse("none"));
    KernelFaults faults = KernelFaults.inside();
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = server.getLocalPort();
      System.out.println("plain=" + connect(port));
      try (KernelFaults.Rule r = faults.reset(port)) {
        System.out.println("reset=" + connect(port));
      }
      try (KernelFaults.Rule r = faults.blackhole(port)) {
        System.out.println("blackhole=" + connect(port));
      }
      try (KernelFaults.Rule r = faults.drop(port, Direction.DOWNSTREAM)) {
        System.out.println("downstream=" + connect(port));
      }
      System.out.println("after=" + connect(port));
      System.out.println("rules=" + faults.list().contains("tcp"));
    }
    System.out.flush();
  }

  /** "ok", or the failure's class name. */
  private static String connect(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 700);
      return "ok";
    } catch (IOException e) {
      return e.getClass().getSimpleName();
    }
  }

  private static void create(String then) throws InterruptedException {
    NetNamespace ns = NetNamespace.create();
    System.out.println("name=" + ns.name());
    System.out.flush();
    if (then.equals("wait")) {
      Thread.sleep(TimeUnit.SECONDS.toMillis(60)); // bounded: the test kills it long before
    }
    // "exit": leave it open; the shutdown hook deletes it
  }
}
