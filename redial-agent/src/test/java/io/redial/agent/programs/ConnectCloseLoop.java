package io.redial.agent.programs;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * The agent's overhead probe: connect+close loops on loopback, with and without
 * {@code -javaagent}. Prints the fastest and the median round, in microseconds per connect+close,
 * for Socket and for SocketChannel (on a shared machine the fastest round is the one least
 * disturbed by other work). Usage: {@code ConnectCloseLoop [iterationsPerRound]}.
 */
public final class ConnectCloseLoop {
  static final int ROUNDS = 9;

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    if (n < 1 || n > 1_000_000) {
      throw new IllegalArgumentException("iterationsPerRound must be 1..1000000, got " + n);
    }
    try (LoopbackServer server = LoopbackServer.closingEach(2 * n * (ROUNDS + 1))) {
      InetSocketAddress address = server.address();
      System.out.println("Socket        " + rounds(n, () -> {
        try (Socket s = new Socket()) {
          s.connect(address, 5_000);
        }
      }));
      System.out.println("SocketChannel " + rounds(n, () -> {
        try (SocketChannel c = SocketChannel.open(address)) {
          c.isConnected();
        }
      }));
    }
  }

  interface Op {
    void run() throws Exception;
  }

  private static String rounds(int n, Op op) throws Exception {
    for (int i = 0; i < n; i++) { // warm-up
      op.run();
    }
    double[] perOp = new double[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        op.run();
      }
      perOp[r] = (System.nanoTime() - t0) / 1_000.0 / n;
    }
    Arrays.sort(perOp);
    return String.format("min %.1f us/op, median %.1f us/op", perOp[0], perOp[ROUNDS / 2]);
  }
}
