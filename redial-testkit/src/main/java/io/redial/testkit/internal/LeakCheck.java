package io.redial.testkit.internal;

import io.redial.testkit.EchoServer;
import io.redial.testkit.FaultProxy;
import io.redial.testkit.ProxiedConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The end-of-test checks shared by the extension and the contract: no proxied connection, no
 * echo-server connection and no socket left open. Closing happens asynchronously on the far side,
 * so every check waits, bounded, before it complains.
 */
public final class LeakCheck {
  /** How long a closed socket may take to disappear from every side on loopback. */
  public static final Duration SETTLE = Duration.ofSeconds(2);

  private LeakCheck() {}

  /** Problems with the proxy and echo server, before they are closed; empty when clean. */
  public static List<String> openConnections(FaultProxy proxy, EchoServer echo) {
    List<String> problems = new ArrayList<>();
    if (proxy != null && !settles(() -> proxy.connections().isEmpty())) {
      List<ProxiedConnection> left = proxy.connections();
      if (!left.isEmpty()) {
        problems.add(left.size() + " proxied connection(s) still open at the end of the test: " + left
            + " — the client under test did not close its socket");
      }
    }
    // A connection left open through the proxy also holds one at the server: report the cause only.
    if (problems.isEmpty() && echo != null && !settles(() -> echo.openConnections() == 0)) {
      int left = echo.openConnections();
      if (left > 0) {
        problems.add(left + " connection(s) to " + echo + " still open at the end of the test");
      }
    }
    return problems;
  }

  /** A problem if more sockets are open than {@code baseline}, after waiting for closes to land; else null. */
  public static String socketsAbove(int baseline) {
    if (settles(() -> FileDescriptors.sockets() <= baseline)) {
      return null;
    }
    int now = FileDescriptors.sockets();
    return now <= baseline ? null : (now - baseline) + " socket(s) opened during the test are still open (" + now
        + " open, " + baseline + " before the test)";
  }

  /** Waits up to {@link #SETTLE} for {@code condition}; whether it came true. */
  public static boolean settles(BooleanSupplier condition) {
    // First look after one interval, as before: a just-opened connection may not be registered yet.
    return Poll.until(condition::getAsBoolean, SETTLE, Duration.ofMillis(20), Duration.ofMillis(20));
  }
}
