package io.redial.agent.programs;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * The agent's overhead probe: connect+close loops on loopback, with and without
 * {@code -javaagent}. Prints the fastest and the median round, in microseconds per connect+close,
 * for Socket and for SocketChannel, in wall-clock time and in the looping thread's CPU time (on a
 * shared machine the fastest round is the one least disturbed by other work, and CPU time is less
 * disturbed than wall-clock time: time spent waiting for a core is not counted). The thread's CPU
 * time holds the agent's work on the calling thread, where it records stacks, but not its leak
 * watcher's nor the garbage collector's.
 *
 * <p>Usage: {@code ConnectCloseLoop [iterationsPerRound [toggle]]}. With {@code toggle} (and the
 * agent loaded) the rounds alternate in this one JVM between the agent active and the agent
 * inert (its probe unset, as at the end of a {@code redial attach --watch}: the woven advice
 * stays and returns at its first check), in pairs active/inert then inert/active, and the
 * ratio of each pair is printed: both halves of a pair share the JIT, the heap and nearly the
 * same noise from the rest of the machine.
 */
public final class ConnectCloseLoop {
  static final int ROUNDS = 9;
  static final int TOGGLED_PAIRS = 20;
  static final int TOGGLED_WARM_UP = 8;

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    if (n < 1 || n > 1_000_000) {
      throw new IllegalArgumentException("iterationsPerRound must be 1..1000000, got " + n);
    }
    boolean toggle = args.length > 1 && args[1].equals("toggle");
    AgentSwitch agent = toggle ? AgentSwitch.find() : null;
    // Rounds per loop, warm-up included; two loops (Socket, SocketChannel).
    int rounds = toggle ? 2 * TOGGLED_PAIRS + TOGGLED_WARM_UP : ROUNDS + 1;
    try (LoopbackServer server = LoopbackServer.closingEach(2 * n * (rounds + 1))) {
      InetSocketAddress address = server.address();
      Op socket = () -> {
        try (Socket s = new Socket()) {
          s.connect(address, 5_000);
        }
      };
      Op channel = () -> {
        try (SocketChannel c = SocketChannel.open(address)) {
          c.isConnected();
        }
      };
      if (toggle) {
        System.out.println("Socket        " + toggled(n, agent, socket));
        System.out.println("SocketChannel " + toggled(n, agent, channel));
      } else {
        System.out.println("Socket        " + rounds(n, socket));
        System.out.println("SocketChannel " + rounds(n, channel));
      }
    }
  }

  interface Op {
    void run() throws Exception;
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      ManagementFactory.getThreadMXBean();

  /** This thread's CPU time so far, in nanoseconds (user and system). */
  private static long cpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /** One round of {@code n}: wall-clock and CPU microseconds per op. */
  private static double[] round(int n, Op op) throws Exception {
    long c0 = cpuNanos();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      op.run();
    }
    long t1 = System.nanoTime();
    long c1 = cpuNanos();
    return new double[] {(t1 - t0) / 1_000.0 / n, (c1 - c0) / 1_000.0 / n};
  }

  private static String rounds(int n, Op op) throws Exception {
    for (int i = 0; i < n; i++) { // warm-up
      op.run();
    }
    double[] perOp = new double[ROUNDS];
    double[] cpu = new double[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      double[] one = round(n, op);
      perOp[r] = one[0];
      cpu[r] = one[1];
    }
    Arrays.sort(perOp);
    Arrays.sort(cpu);
    return String.format("min %.1f us/op, median %.1f us/op; cpu min %.1f us/op, median %.1f"
        + " us/op", perOp[0], perOp[ROUNDS / 2], cpu[0], cpu[ROUNDS / 2]);
  }

  private static String toggled(int n, AgentSwitch agent, Op op) throws Exception {
    // Warm-up, both ways, long enough for C2 to compile the agent's paths too (its thresholds are
    // some 15 000 calls): compiling them during the pairs would be charged to the active rounds.
    for (int w = 0; w < TOGGLED_WARM_UP; w++) {
      agent.set(w % 2 == 0);
      for (int i = 0; i < n; i++) {
        op.run();
      }
    }
    double[] wall = new double[TOGGLED_PAIRS];
    double[] cpu = new double[TOGGLED_PAIRS];
    StringBuilder series = new StringBuilder();
    try {
      for (int p = 0; p < TOGGLED_PAIRS; p++) {
        double[][] m = new double[2][]; // [0] active, [1] inert
        for (int k = 0; k < 2; k++) {
          boolean on = (k == 0) == (p % 2 == 0);
          agent.set(on);
          m[on ? 0 : 1] = round(n, op);
        }
        wall[p] = m[0][0] / m[1][0];
        cpu[p] = m[0][1] / m[1][1];
        series.append(String.format(" %.2f", cpu[p]));
      }
    } finally {
      agent.set(true);
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    return String.format("active/inert %.3f (%.3f-%.3f); cpu %.3f (%.3f-%.3f); %d pairs;"
        + " cpu in order:%s", median(wall), wall[0], wall[wall.length - 1], median(cpu), cpu[0],
        cpu[cpu.length - 1], TOGGLED_PAIRS, series);
  }

  private static double median(double[] sorted) {
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }

  /**
   * The loaded agent's on/off switch: the probe field of its bootstrap dispatcher
   * ({@code io.redial.internal.agent.boot.Hooks}), read and written by reflection (the class is
   * in the boot loader's unnamed module, open to this one). Only for this measurement.
   */
  private static final class AgentSwitch {
    private final Field field;
    private final Object probe;

    private AgentSwitch(Field field, Object probe) {
      this.field = field;
      this.probe = probe;
    }

    static AgentSwitch find() throws ReflectiveOperationException {
      Class<?> hooks = Class.forName("io.redial.internal.agent.boot.Hooks", false, null);
      Field f = hooks.getDeclaredField("probe");
      f.setAccessible(true);
      Object p = f.get(null);
      if (p == null) {
        throw new IllegalStateException("toggle needs the agent loaded and active");
      }
      return new AgentSwitch(f, p);
    }

    void set(boolean on) throws IllegalAccessException {
      field.set(null, on ? probe : null);
    }
  }
}
