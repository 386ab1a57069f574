package io.redial.testkit;

import io.redial.testkit.internal.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private network namespace with only a loopback interface (up: {@code 127.0.0.0/8} and
 * {@code ::1}), for faults only a kernel makes: {@link KernelFaults} puts nftables rules on its
 * loopback, so the client's kernel retransmits into real silence — which a userspace proxy, whose
 * own kernel keeps ACKing, cannot produce.
 *
 * <p>A JVM cannot move its own sockets into a namespace (there is no {@code setns} in Java), so
 * the scenario runs in a child process started inside it: {@link #java} builds the command
 * ({@code ip netns exec NAME java -cp … Main}); that child finds the namespace with
 * {@link #current()} and applies rules with {@link KernelFaults#inside()}.
 *
 * <p>Cleanup: {@link #close()} kills every process left inside and deletes the namespace;
 * a shutdown hook does the same for namespaces still open when the JVM exits; and
 * {@link #create()} first sweeps namespaces of this naming ({@code redial-PID-N}) whose creating
 * process is gone (killed before its hook could run). Needs root, {@code ip} (Debian's
 * {@code iproute2}) and {@code nft} ({@code nftables}); {@link #create()} checks them first.
 */
public final class NetNamespace implements AutoCloseable {
  /** Every namespace made here is named {@code redial-<creator pid>-<n>}. */
  public static final String PREFIX = "redial-";
  /** Set in the environment of processes started by {@link #command}: the namespace's name. */
  public static final String ENV = "REDIAL_NETNS";
  private static final Pattern OURS = Pattern.compile("redial-(\\d+)-(\\d+)");
  private static final AtomicInteger NEXT = new AtomicInteger();
  /** Namespaces not yet closed, for the shutdown hook. */
  private static final Set<NetNamespace> OPEN = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();

  private final String name;
  /** Set once by the first close(); any thread. */
  private final AtomicBoolean closed = new AtomicBoolean();

  private NetNamespace(String name) {
    this.name = name;
  }

  /**
   * Creates a fresh namespace with its loopback up. Before that: checks the prerequisites
   * (failing with a message naming each missing one) and deletes stale namespaces of dead
   * creators.
   *
   * @throws IllegalStateException when not root, or {@code ip} or {@code nft} is missing, or the
   *     namespace cannot be made
   */
  public static NetNamespace create() {
    requirePrerequisites();
    sweepStale();
    if (HOOKED.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        for (NetNamespace ns : List.copyOf(OPEN)) {
          ns.close();
        }
      }, "redial-netns-cleanup"));
    }
    String name = PREFIX + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
    NetNamespace ns = new NetNamespace(name);
    OPEN.add(ns);
    try {
      Commands.run(List.of("ip", "netns", "add", name), null);
      Commands.run(List.of("ip", "-n", name, "link", "set", "lo", "up"), null);
    } catch (RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  /** What {@link #create()} needs and does not have, each with how to get it; empty when all is there. */
  public static List<String> missingPrerequisites() {
    List<String> missing = new ArrayList<>();
    if (!isRoot()) {
      missing.add("root (network namespaces and nftables rules need it; this process runs as uid "
          + uid().map(String::valueOf).orElse("unknown") + ")");
    }
    if (!Commands.installed("ip")) {
      missing.add("the ip command (Debian package iproute2)");
    }
    if (!Commands.installed("nft")) {
      missing.add("the nft command (Debian package nftables)");
    }
    return missing;
  }

  /** Throws an {@link IllegalStateException} naming everything {@link #create()} lacks. */
  public static void requirePrerequisites() {
    List<String> missing = missingPrerequisites();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("kernel faults need " + String.join(", ", missing)
          + "; scripts/test installs the packages when run as root");
    }
  }

  /**
   * The namespace this process was started in by {@link #command}, when it really runs there:
   * the name in {@link #ENV} must be what {@code ip netns identify} says of this process, and of
   * this class's naming. Empty otherwise (in particular in the host's own namespace).
   */
  public static Optional<String> current() {
    String claimed = System.getenv(ENV);
    if (claimed == null || !OURS.matcher(claimed).matches()) {
      return Optional.empty();
    }
    Commands.Result r = Commands.tryRun(List.of("ip", "netns", "identify",
        Long.toString(ProcessHandle.current().pid())), null);
    return r.status() == 0 && r.out().strip().equals(claimed) ? Optional.of(claimed)
        : Optional.empty();
  }

  public String name() {
    return name;
  }

  /** Rules on this namespace's loopback, applied from outside it. */
  public KernelFaults faults() {
    return new KernelFaults(List.of("ip", "netns", "exec", name));
  }

  /**
   * {@code command} to run inside this namespace ({@code ip netns exec NAME command…}), with
   * {@link #ENV} set to its name.
   */
  public ProcessBuilder command(List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full);
    pb.environment().put(ENV, name);
    return pb;
  }

  /**
   * A JVM inside this namespace running {@code mainClass} on this JVM's class path, with this
   * JVM's {@code java}.
   *
   * @param jvmOptions e.g. {@code -Xmx256m}, before the class path
   */
  public ProcessBuilder java(List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return command(cmd);
  }

  /** Kills what still runs inside and deletes the namespace; closing twice does nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        remove(name);
      } finally {
        OPEN.remove(this);
      }
    }
  }

  @Override
  public String toString() {
    return "netns " + name;
  }

  /**
   * Deletes namespaces named by this class whose creating process is gone; how many. Those of
   * live processes (another test run) are left alone.
   */
  public static int sweepStale() {
    Commands.Result list = Commands.tryRun(List.of("ip", "netns", "list"), null);
    if (list.status() != 0) {
      return 0;
    }
    int removed = 0;
    for (String line : list.out().split("\n")) {
      String n = line.strip().split("\\s+")[0];
      Matcher m = OURS.matcher(n);
      if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1)))
          .map(ph -> !ph.isAlive()).orElse(true)) {
        remove(n);
        removed++;
      }
    }
    return removed;
  }

  /** Kills every process in the namespace (bounded), then deletes it. */
  private static void remove(String name) {
    for (int round = 0; round < 5; round++) {
      Commands.Result pids = Commands.tryRun(List.of("ip", "netns", "pids", name), null);
      List<ProcessHandle> inside = new ArrayList<>();
      if (pids.status() == 0) {
        for (String p : pids.out().split("\\s+")) {
          if (p.matches("\\d+") && Long.parseLong(p) != ProcessHandle.current().pid()) {
            ProcessHandle.of(Long.parseLong(p)).ifPresent(inside::add);
          }
        }
      }
      if (inside.isEmpty()) {
        break;
      }
      for (ProcessHandle ph : inside) {
        ph.destroyForcibly();
      }
      for (ProcessHandle ph : inside) {
        try {
          ph.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
          // checked again in the next round
        }
      }
    }
    Commands.Result del = Commands.tryRun(List.of("ip", "netns", "delete", name), null);
    if (del.status() != 0 && Files.exists(Path.of("/run/netns", name))) {
      throw new IllegalStateException("ip netns delete " + name + " exited with " + del.status()
          + ": " + del.out().strip());
    }
  }

  private static boolean isRoot() {
    return uid().map(u -> u == 0).orElse(false);
  }

  /** The effective uid from {@code /proc/self/status}; empty off Linux. */
  private static Optional<Integer> uid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Optional.of(Integer.parseInt(line.substring(4).strip().split("\\s+")[1]));
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
