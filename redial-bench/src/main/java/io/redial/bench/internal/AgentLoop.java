package io.redial.bench.internal;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * The program run with and without {@code -javaagent:redial-agent.jar}: connect+close loops on
 * loopback, alternately with {@code java.net.Socket} and {@code SocketChannel} (the calls the agent
 * instruments). Prints {@code RESULT <median ns per connect+close>}. Arguments: host, port,
 * iterations per round, rounds.
 */
public final class AgentLoop {
  private AgentLoop() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: AgentLoop host port iterations rounds");
    }
    InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    if (!address.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("host must be a loopback address, but was " + args[0]);
    }
    int n = bounded("iterations", Integer.parseInt(args[2]), 100_000);
    int rounds = bounded("rounds", Integer.parseInt(args[3]), 100);
    loop(address, n); // warm-up
    double[] perOp = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      loop(address, n);
      perOp[r] = (System.nanoTime() - t0) / (2.0 * n);
    }
    Arrays.sort(perOp);
    System.out.println("RESULT " + perOp[rounds / 2]);
  }

  private static void loop(InetSocketAddress address, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      try (Socket s = new Socket()) {
        s.connect(address, 5_000);
      }
      try (SocketChannel c = SocketChannel.open(address)) {
        c.finishConnect();
      }
    }
  }

  private static int bounded(String name, int value, int max) {
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(name + " must be 1.." + max + ", but was " + value);
    }
    return value;
  }
}
