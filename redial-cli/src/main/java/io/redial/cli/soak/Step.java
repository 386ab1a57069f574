package io.redial.cli.soak;

import io.redial.testkit.Fault;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One fault of a {@link Schedule}, from {@code start} to {@code end} after the run began. Most
 * kinds are a test kit {@link Fault} installed in the proxy ({@link #fault()}); the kernel kinds
 * are nftables rules on the proxy's port ({@link #kernel()}); a reset acts once,
 * and a server restart stops the echo server for the step's length. An instant step (a reset) has
 * {@code end == start}.
 *
 * @param value the latency in ms, the bandwidth in bytes per second, the slice size in bytes,
 *     the kernel loss in percent, the kernel drop's direction (0 client to proxy, 1 back), else 0
 * @param jitter the latency's jitter in ms, else 0
 */
record Step(Kind kind, Duration start, Duration end, long value, long jitter) {
  /** What a step does. */
  enum Kind {
    SERVER_RESTART("server restart", "the echo server stops, drops every socket, and comes back"),
    RESET("reset of every connection", "the proxy resets every connection (RST)"),
    BLACKHOLE("blackhole", "nothing passes either way; sockets stay open: only heartbeats notice"),
    LATENCY("latency", "every chunk is held back, both ways"),
    BANDWIDTH("bandwidth limit", "each connection is throttled, each way"),
    REFUSED("refused connects", "the proxy stops listening and closes every connection"),
    REFUSE("refuse", "the proxy stops listening; connections already open stay"),
    SLICE("slice", "data is cut into pieces of about the value's bytes, sent apart"),
    KERNEL_BLACKHOLE("kernel blackhole", "the kernel drops every packet to and from the proxy's"
        + " port: the client's kernel retransmits into silence"),
    KERNEL_DROP("kernel one-way drop", "the kernel drops the packets of one direction (value 0:"
        + " client to proxy, 1: proxy to client)"),
    KERNEL_RESET("kernel reset", "the kernel answers every packet to and from the proxy's port"
        + " with a TCP reset"),
    KERNEL_LOSS("kernel loss", "the kernel drops the value's percent of the packets, at random,"
        + " both ways");

    private final String title;
    private final String explanation;

    Kind(String title, String explanation) {
      this.title = title;
      this.explanation = explanation;
    }

    /** A name for people, unique among kinds. */
    String title() {
      return title;
    }

    String explanation() {
      return explanation;
    }
  }

  Step {
    Objects.requireNonNull(kind, "kind");
    if (end.compareTo(start) < 0) {
      throw new IllegalArgumentException("step ends before it starts: " + start + " > " + end);
    }
  }

  /** Whether the kernel plays it (nftables, in a network namespace) rather than the proxy. */
  boolean kernel() {
    return kind.name().startsWith("KERNEL_");
  }

  boolean instant() {
    return start.equals(end);
  }

  /** The test kit fault the proxy plays for this step; empty for a reset and a server restart. */
  Optional<Fault> fault() {
    return switch (kind) {
      case BLACKHOLE -> Optional.of(Fault.blackhole());
      case LATENCY -> Optional.of(Fault.latency(Duration.ofMillis(value), Duration.ofMillis(jitter)));
      case BANDWIDTH -> Optional.of(Fault.bandwidth(value));
      case SLICE -> Optional.of(Fault.slice((int) value, (int) value / 2, Duration.ofMillis(1)));
      case REFUSED, REFUSE -> Optional.of(Fault.refuseNew());
      case RESET, SERVER_RESTART, KERNEL_BLACKHOLE, KERNEL_DROP, KERNEL_RESET, KERNEL_LOSS ->
          Optional.empty();
    };
  }

  /** E.g. "latency 180 ms, jitter 40 ms". */
  String label() {
    return switch (kind) {
      case LATENCY -> kind.title() + " " + value + " ms, jitter " + jitter + " ms"; // ASCII: any locale
      case BANDWIDTH -> kind.title() + " " + value + " B/s";
      case SLICE -> kind.title() + " " + value + " B";
      case KERNEL_DROP -> kind.title() + (value == 0 ? " client to proxy" : " proxy to client");
      case KERNEL_LOSS -> kind.title() + " " + value + " %";
      default -> kind.title();
    };
  }

  /** One line for a log: start, label, length. */
  String line() {
    return String.format(Locale.ROOT, "%9.3fs %s%s", start.toMillis() / 1000.0, label(),
        instant() ? "" : String.format(Locale.ROOT, " for %d ms", end.minus(start).toMillis()));
  }
}
