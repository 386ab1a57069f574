package io.redial.bench.internal;

import io.redial.Connection;
import io.redial.Redial;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Figure 5: how many idle managed connections this JVM holds. Servers listen on several
 * 127.0.0.x addresses (one ephemeral-port range per destination), in child processes of at most
 * {@value #PER_SERVER_PROCESS} connections each (their own descriptor limit). Stops at the
 * target, at the time limit, at the first failed connect (reported), or when memory runs low.
 */
public final class Scale {
  /** The goal. */
  static final int GOAL = 100_000;
  static final int PER_SERVER_PROCESS = 18_000;
  static final int BATCH = 500;
  /** The bound on one batch of connects. */
  static final int BATCH_SECONDS = 30;
  /** Stop when the heap has less than this free... */
  static final long MIN_FREE_HEAP = 256L << 20;
  /** ...or the machine has less than this available. */
  static final long MIN_AVAILABLE_RAM = 1L << 30;
  /** Descriptors left for the JVM itself (jars, epoll, pipes, the children's pipes). */
  static final int FD_RESERVE = 300;

  private Scale() {}

  public static void run(Plan plan, Results results, LongSupplier nanos) throws Exception {
    long fdLimit = fdLimit();
    // One socket per connection: past the descriptor limit the try only measures EMFILE. Where
    // the limit is below the target (a container without CAP_SYS_RESOURCE cannot raise its hard
    // limit), go as far as the limit allows and say that the limit, not Redial, stopped it.
    int target = plan.scaleTarget();
    boolean fdLimited = fdLimit > 0 && fdLimit - FD_RESERVE < target;
    if (fdLimited) {
      target = (int) Math.max(0, fdLimit - FD_RESERVE);
    }
    int processes = (int) Math.max(1, Math.min(8,
        (Math.min(target, fdLimit > 0 ? fdLimit : target) + PER_SERVER_PROCESS - 1)
            / PER_SERVER_PROCESS));
    List<ServerProcess> servers = new ArrayList<>();
    List<Connection> held = new ArrayList<>();
    String stop = fdLimited
        ? "reached the open-file limit (" + fdLimit + " descriptors, less " + FD_RESERVE
            + " kept for the JVM); the target of " + String.format("%,d", plan.scaleTarget())
            + " needs a higher hard limit"
        : "reached the target";
    long t0 = nanos.getAsLong();
    long heap0 = Waits.liveHeap();
    int threads0 = Footprint.threads();
    try {
      List<InetSocketAddress> targets = new ArrayList<>();
      for (int p = 0; p < processes; p++) {
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          ips.add("127.0.0." + (10 + 4 * p + i));
        }
        ServerProcess s = ServerProcess.start(ips, "2g");
        servers.add(s);
        targets.addAll(s.addresses());
      }
      long deadline = t0 + plan.scaleSeconds() * 1_000_000_000L;
      while (held.size() < target) {
        if (nanos.getAsLong() - deadline > 0) {
          stop = "time limit of " + plan.scaleSeconds() + " s";
          break;
        }
        String low = memoryLow();
        if (low != null) {
          stop = low;
          break;
        }
        int from = held.size();
        List<CompletableFuture<Connection>> batch = new ArrayList<>(BATCH);
        for (int j = from; j < Math.min(target, from + BATCH); j++) {
          // spread over the processes first, so each stays under its descriptor limit
          InetSocketAddress to = targets.get(j % targets.size());
          Connection c = Redial.connection("scale-" + j).endpoint(to).maxAttempts(1).build();
          held.add(c);
          batch.add(c.connect());
        }
        String failed = null;
        int pending = 0;
        long batchDeadline = nanos.getAsLong() + TimeUnit.SECONDS.toNanos(BATCH_SECONDS);
        for (CompletableFuture<Connection> f : batch) {
          try {
            f.get(Math.max(0, batchDeadline - nanos.getAsLong()), TimeUnit.NANOSECONDS);
          } catch (TimeoutException e) {
            pending++;
          } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (failed == null) {
              failed = "first failed connect: " + cause.getMessage();
            }
            // the rest of the batch settles; the ones that did connect still count
          }
        }
        if (pending > 0) {
          failed = (failed == null ? "" : failed + "; ") + pending + " connect() futures still "
              + "pending after " + BATCH_SECONDS + " s (" + stuckStates(held) + ")";
        }
        if (failed != null) {
          stop = failed;
          break;
        }
        if (held.size() % 5_000 == 0) {
          System.out.printf("  scale: %,d connections held%n", held.size());
        }
      }
      long seconds = (nanos.getAsLong() - t0) / 1_000_000;
      int count = (int) held.stream()
          .filter(c -> c.state() == io.redial.ConnectionState.CONNECTED).count();
      long heap1 = Waits.liveHeap();
      int threads1 = Footprint.threads();
      System.out.printf("  scale: held %,d connections (%s)%n", count, stop);
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("target", plan.scaleTarget());
      d.put("tried", target);
      d.put("limitedByFileDescriptors", fdLimited);
      d.put("held", count);
      d.put("stoppedBecause", stop);
      d.put("fdLimit", fdLimit);
      d.put("serverProcesses", processes);
      d.put("destinations", targets.size());
      d.put("millis", seconds);
      d.put("heapBytesPerConnection", count == 0 ? Double.NaN : (double) (heap1 - heap0) / count);
      d.put("threadsAdded", threads1 - threads0);
      results.detail("scale", d);
      results.add(new Figure("5.scale", "Scale: idle managed connections held by one JVM", "conns",
          count, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          String.format("≥ %,d", GOAL),
          count >= GOAL ? Figure.Verdict.MET
              : fdLimited && plan.scaleTarget() >= GOAL && count >= target ? Figure.Verdict.LIMITED
              : target < GOAL && count >= target ? Figure.Verdict.INFO // quick mode: a smaller try
              : Figure.Verdict.MISSED,
          "target " + String.format("%,d", plan.scaleTarget()) + "; stopped: " + stop
              + (count > 0 ? String.format("; %,.0f B of live heap per connection, so %,d would "
                  + "need about %,d MiB of heap", (double) (heap1 - heap0) / count, GOAL,
                  (long) ((double) (heap1 - heap0) / count * GOAL) >> 20) : "")
              + "; file-descriptor limit " + fdLimit + "; " + (threads1 - threads0)
              + " threads added"));
    } finally {
      System.out.printf("  scale: closing %,d connections%n", held.size());
      Footprint.closeAll(held);
      servers.forEach(ServerProcess::close);
    }
  }

  /** How many connections are in each state, for a stop reason. */
  static String stuckStates(List<Connection> connections) {
    Map<io.redial.ConnectionState, Integer> counts = new java.util.EnumMap<>(
        io.redial.ConnectionState.class);
    connections.forEach(c -> counts.merge(c.state(), 1, Integer::sum));
    return counts.toString();
  }

  /** The process's descriptor limit, or -1 when unknown. */
  static long fdLimit() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }

  /** Why to stop for memory, or null. */
  static String memoryLow() {
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (free < MIN_FREE_HEAP) {
      return "heap nearly full (" + (free >> 20) + " MiB free)";
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          if (kb * 1024 < MIN_AVAILABLE_RAM) {
            return "machine memory low (" + (kb >> 10) + " MiB available)";
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: the heap check alone
    }
    return null;
  }
}
