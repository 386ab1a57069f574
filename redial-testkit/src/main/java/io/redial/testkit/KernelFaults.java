package io.redial.testkit;

import io.redial.testkit.internal.Commands;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Faults the kernel makes, as nftables rules on the loopback of a {@link NetNamespace}: packets
 * to or from one TCP port dropped (both ways: a blackhole with real retransmissions; or one
 * way), answered with a TCP reset, or dropped at random. The rules live in the table
 * {@code inet redial}, in an {@code input} chain, and match only packets arriving on {@code lo};
 * they exist only in a namespace {@link NetNamespace} made, never in the host's.
 *
 * <p>Port {@code P} is the server's: {@link Direction#UPSTREAM} is what the client sends
 * ({@code tcp dport P}), {@link Direction#DOWNSTREAM} what the server sends ({@code tcp sport P}).
 * Each method returns a {@link Rule}; closing it removes exactly its rules.
 */
public final class KernelFaults {
  /** Its output lines end with the rule's handle. */
  private static final Pattern HANDLE = Pattern.compile("^add rule .* # handle (\\d+)$",
      Pattern.MULTILINE);
  private static final AtomicLong NEXT = new AtomicLong();
  private static final String SETUP = "add table inet redial\n"
      + "add chain inet redial input { type filter hook input priority 0; policy accept; }\n";

  /** Put before {@code nft}: empty inside the namespace, {@code ip netns exec NAME} outside. */
  private final List<String> prefix;

  KernelFaults(List<String> prefix) {
    this.prefix = List.copyOf(prefix);
  }

  /**
   * Rules for the namespace this process runs in, which {@link NetNamespace} made and started
   * this process in ({@link NetNamespace#current()}).
   *
   * @throws IllegalStateException elsewhere, in particular in the host's own namespace, whose
   *     loopback other programs use
   */
  public static KernelFaults inside() {
    if (NetNamespace.current().isEmpty()) {
      throw new IllegalStateException("KernelFaults.inside() runs only in a network namespace "
          + "made by NetNamespace, in a process it started (" + NetNamespace.ENV + "="
          + System.getenv(NetNamespace.ENV) + "); here rules would touch the host's loopback");
    }
    NetNamespace.requirePrerequisites();
    return new KernelFaults(List.of());
  }

  /** Drops every packet to and from {@code port}: both kernels retransmit into silence. */
  public Rule blackhole(int port) {
    return drop(port, Direction.BOTH);
  }

  /** Drops packets of one direction (or both) of {@code port}'s connections. */
  public Rule drop(int port, Direction direction) {
    Objects.requireNonNull(direction, "direction");
    return add("drop " + direction.name().toLowerCase(java.util.Locale.ROOT), port, direction,
        "drop");
  }

  /**
   * Answers every packet to and from {@code port} with a TCP reset: the client's next read or
   * write fails with "connection reset" ({@code ECONNRESET}), a new connect with "refused".
   */
  public Rule reset(int port) {
    // Resets themselves pass: else the reset made for one side is rejected on its way back in.
    return add("reset", port, Direction.BOTH, "tcp flags & rst == 0 reject with tcp reset");
  }

  /**
   * Drops each packet to and from {@code port} with probability {@code percent} / 100, drawn by
   * the kernel ({@code numgen random}).
   *
   * @param percent 1 to 100
   */
  public Rule loss(int port, int percent) {
    if (percent < 1 || percent > 100) {
      throw new IllegalArgumentException("percent is " + percent + "; allowed: 1 to 100");
    }
    return add("loss " + percent + " %", port, Direction.BOTH,
        "numgen random mod 100 < " + percent + " drop");
  }

  /** Removes every rule, whoever added it; the table stays. */
  public void clear() {
    nft(SETUP + "flush chain inet redial input\n");
  }

  /** The rules as nft lists them, for reports. */
  public String list() {
    return nft(SETUP + "list chain inet redial input\n");
  }

  /** The nft text of the rules {@link #add} makes, without the comment; for tests. */
  static List<String> matches(int port, Direction direction, String verdict) {
    checkPort(port);
    List<String> rules = new ArrayList<>();
    if (direction.covers(Direction.UPSTREAM)) {
      rules.add("iif lo tcp dport " + port + " " + verdict);
    }
    if (direction.covers(Direction.DOWNSTREAM)) {
      rules.add("iif lo tcp sport " + port + " " + verdict);
    }
    return rules;
  }

  private Rule add(String what, int port, Direction direction, String verdict) {
    String tag = "redial-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
    StringBuilder script = new StringBuilder(SETUP);
    for (String rule : matches(port, direction, verdict)) {
      script.append("add rule inet redial input ").append(rule)
          .append(" comment \"").append(tag).append("\"\n");
    }
    String out = nft(script.toString(), "--echo", "--handle");
    List<Long> handles = new ArrayList<>();
    Matcher m = HANDLE.matcher(out);
    while (m.find()) {
      handles.add(Long.parseLong(m.group(1)));
    }
    if (handles.size() != matches(port, direction, verdict).size()) {
      throw new IllegalStateException("nft did not report the new rules' handles: " + out.strip());
    }
    return new Rule(what + " on port " + port, handles);
  }

  private String nft(String script, String... options) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add("nft");
    cmd.addAll(List.of(options));
    cmd.add("-f");
    cmd.add("-");
    return Commands.run(cmd, script);
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port is " + port + "; allowed: 1 to 65535");
    }
  }

  /** Rules added together; {@link #close()} removes them (once). */
  public final class Rule implements AutoCloseable {
    private final String label;
    private final List<Long> handles;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Rule(String label, List<Long> handles) {
      this.label = label;
      this.handles = List.copyOf(handles);
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        StringBuilder script = new StringBuilder();
        for (long h : handles) {
          script.append("delete rule inet redial input handle ").append(h).append('\n');
        }
        nft(script.toString());
      }
    }

    @Override
    public String toString() {
      return label;
    }
  }
}
