package io.redial.testkit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Ports for listeners that stop and listen again on the same port (a server restart, a proxy
 * refusing connects). A port from the kernel's ephemeral range can be taken while the listener is
 * down: by any outgoing connection, or by a client retrying that very port, which then connects to
 * itself (TCP simultaneous open). Below the range neither can happen.
 */
public final class LoopbackPorts {
  private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  /** Linux's default lower bound, used when the range cannot be read. */
  public static final int DEFAULT_EPHEMERAL_LOW = 32_768;
  public static final int TRIES = 64;
  private static final int SPAN = 10_000;

  private LoopbackPorts() {}

  /**
   * Calls {@code bind} with random ports below the ephemeral range until one succeeds (at most
   * {@link #TRIES}), then with 0 (any port) as a last resort.
   */
  public static <T> T bindBelowEphemeral(IntFunction<T> bind, SplittableRandom random) {
    int high = ephemeralLow() - 1;
    int low = Math.max(1_024, high - SPAN);
    for (int i = 0; i < TRIES && high > low; i++) {
      try {
        return bind.apply(random.nextInt(low, high + 1));
      } catch (RuntimeException taken) {
        // someone listens there: try another
      }
    }
    return bind.apply(0);
  }

  /** The lowest ephemeral port, from the first number in {@code ip_local_port_range}. */
  public static int ephemeralLow() {
    try {
      return parseLow(Files.readString(RANGE));
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL_LOW;
    }
  }

  public static int parseLow(String range) {
    String[] parts = range.strip().split("\\s+");
    int low = Integer.parseInt(parts[0]);
    return low > 1_024 && low <= 65_535 ? low : DEFAULT_EPHEMERAL_LOW;
  }
}
