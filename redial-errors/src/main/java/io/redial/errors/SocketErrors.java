package io.redial.errors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Lookup of socket errors by any name, number or message a user pastes.
 *
 * <p>SKELETON: a handful of entries the core needs; the full catalog replaces this.
 */
public final class SocketErrors {
  private static final Map<String, SocketError> BY_NAME = new LinkedHashMap<>();

  static {
    add("WSAEISCONN", 10056, 106, 56,
        "Socket is already connected.",
        "connect() was called on a socket that is already connected.",
        "Close the old socket, create a fresh one, then connect.");
    add("WSAECONNREFUSED", 10061, 111, 61,
        "Connection refused.",
        "Nothing listens on the target port, or a firewall rejected the connect.",
        "Check host and port; retry with backoff.");
    add("WSAECONNRESET", 10054, 104, 54,
        "Connection reset by peer.",
        "The peer closed the connection abortively (RST).",
        "Reconnect with a fresh socket.");
    add("WSAETIMEDOUT", 10060, 110, 60,
        "Connection timed out.",
        "The peer did not answer in time.",
        "Check reachability; retry with backoff.");
    add("CONNECTION_CLOSED", -1, -1, -1,
        "The connection was closed by the application.",
        "close() was called.",
        "Create a new connection.");
  }

  private SocketErrors() {}

  private static void add(String name, int ws, int linux, int mac, String s, String c, String f) {
    BY_NAME.put(name, new SocketError(name, opt(ws), opt(linux), opt(mac), s, c, f));
  }

  private static OptionalInt opt(int v) {
    return v < 0 ? OptionalInt.empty() : OptionalInt.of(v);
  }

  /** Every entry of the catalog. */
  public static List<SocketError> all() {
    return List.copyOf(BY_NAME.values());
  }

  /** Finds an entry by name, number or message; empty when nothing matches. Never throws. */
  public static Optional<SocketError> lookup(String query) {
    if (query == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(BY_NAME.get(query.trim().toUpperCase(Locale.ROOT)));
  }

  /** The catalog entry for a throwable, walking causes and suppressed exceptions. */
  public static Optional<SocketError> of(Throwable t) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    return of(t, seen);
  }

  private static Optional<SocketError> of(Throwable t, Set<Throwable> seen) {
    if (t == null || !seen.add(t)) {
      return Optional.empty();
    }
    String msg = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
    if (msg.contains("already connected")) {
      return lookup("WSAEISCONN");
    }
    if (msg.contains("connection refused")) {
      return lookup("WSAECONNREFUSED");
    }
    if (msg.contains("connection reset")) {
      return lookup("WSAECONNRESET");
    }
    Optional<SocketError> fromCause = of(t.getCause(), seen);
    if (fromCause.isPresent()) {
      return fromCause;
    }
    for (Throwable s : t.getSuppressed()) {
      Optional<SocketError> e = of(s, seen);
      if (e.isPresent()) {
        return e;
      }
    }
    return Optional.empty();
  }

  /** Every recognisable error in a log or stack trace. */
  public static List<Finding> scan(Reader log) {
    List<Finding> findings = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(log)) {
      String line;
      while ((line = r.readLine()) != null) {
        // skeleton
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return findings;
  }
}
