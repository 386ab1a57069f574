package io.redial.errors;

import io.redial.errors.internal.Catalog;
import io.redial.errors.internal.CatalogParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The catalog of socket errors: every Windows Sockets code, the POSIX errno values that go with
 * them on Linux and macOS, and the exceptions and messages the JVM, Netty and Redial report.
 *
 * <p>Loaded once from {@code catalog.txt} next to this class; immutable and safe to use from any
 * thread. Lookups never throw on bad input: they return empty.
 */
public final class SocketErrors {

  /** The catalog, loaded when this class is first used. */
  private static final Catalog CATALOG = load();

  private SocketErrors() {}

  private static Catalog load() {
    String resource = "catalog.txt";
    try (InputStream in = SocketErrors.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("io/redial/errors/" + resource + " is missing");
      }
      return new Catalog(
          CatalogParser.parse(new InputStreamReader(in, StandardCharsets.UTF_8), resource));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read io/redial/errors/" + resource, e);
    }
  }

  /** Every entry of the catalog, in catalog order (Winsock codes first). */
  public static List<SocketError> all() {
    return CATALOG.all();
  }

  /**
   * Finds an entry by anything a user pastes, reading bare errno numbers as Linux's. See
   * {@link #lookup(String, Os)}.
   */
  public static Optional<SocketError> lookup(String query) {
    return lookup(query, Os.LINUX);
  }

  /**
   * Finds an entry by anything a user pastes: a hex code ({@code 0X00002748}, {@code 0x2748}), an
   * HRESULT ({@code 0x80072748}), a decimal Winsock code ({@code 10056}), a name in any case
   * ({@code WSAEISCONN}, {@code wsaeisconn}), a POSIX name ({@code EISCONN}), an errno of the
   * given OS ({@code 106} on Linux, {@code 56} on macOS; numbers from 10000 up are always Winsock
   * codes), a message ({@code already connected}), an exception class
   * ({@code java.nio.channels.AlreadyConnectedException}) or a whole log line. Only the first
   * {@value Catalog#MAX_QUERY_CHARS} characters are considered.
   *
   * @return the entry, or empty when nothing matches (also for null)
   */
  public static Optional<SocketError> lookup(String query, Os os) {
    return CATALOG.lookup(query, os);
  }

  /**
   * Every meaning of {@code query} across the systems, the best guess first: the reading for
   * {@code preferred} when it has one, then the other systems' readings (Linux, macOS, Windows
   * order). A number such as {@code 87} is {@code WSAEUSERS} (EUSERS) on Linux and
   * {@code WSA_INVALID_PARAMETER} on Windows, so it has two meanings; a name has one, for all
   * three systems. Empty when nothing matches on any system. Never throws on bad input.
   */
  public static List<Meaning> meanings(String query, Os preferred) {
    Objects.requireNonNull(preferred, "preferred");
    List<Os> order = new ArrayList<>(List.of(preferred));
    for (Os os : Os.values()) {
      if (os != preferred) {
        order.add(os);
      }
    }
    Map<SocketError, List<Os>> found = new LinkedHashMap<>();
    String q = query == null ? "" : query.strip();
    boolean bareNumber = q.matches("[0-9]{1,4}");
    for (Os os : order) {
      // A bare number below 10000 is read strictly per system (lookup falls back to the Winsock
      // code when the system has no such errno, which would list that code under every system).
      Optional<SocketError> e = bareNumber ? byCode(Integer.parseInt(q), os) : lookup(query, os);
      e.ifPresent(x -> found.computeIfAbsent(x, k -> new ArrayList<>()).add(os));
    }
    List<Meaning> meanings = new ArrayList<>(found.size());
    found.forEach((e, oses) -> meanings.add(new Meaning(e, oses)));
    return meanings;
  }

  /** The entry whose number on {@code os} (errno, or the Winsock/Win32 code) is {@code n}. */
  private static Optional<SocketError> byCode(int n, Os os) {
    return all().stream()
        .filter(e -> e.code(os).isPresent() && e.code(os).getAsInt() == n).findFirst();
  }

  /**
   * The entry that best explains a throwable, looking at its causes and suppressed exceptions:
   * specific evidence (a class that means one error, a name, a message) wins over a generic class
   * such as {@code SSLHandshakeException}, and the deepest specific evidence wins, because the
   * root cause says what happened. Empty when nothing is recognised. Never throws.
   */
  public static Optional<SocketError> of(Throwable t) {
    return CATALOG.of(t);
  }

  /**
   * Every recognisable error in a log or stack trace, reading errno numbers as Linux's. See
   * {@link #scan(Reader, Os)}.
   */
  public static List<Finding> scan(Reader log) {
    return scan(log, Os.LINUX);
  }

  /**
   * Every recognisable error in a log or stack trace: one {@link Finding} per error, in order of
   * first appearance, with the number of lines it appears on. Stack frame lines ({@code at …})
   * are skipped; lines longer than {@value Catalog#MAX_LINE_CHARS} characters are cut, so memory
   * stays bounded whatever the input. Does not close the reader.
   *
   * @throws UncheckedIOException only if reading fails
   */
  public static List<Finding> scan(Reader log, Os os) {
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(os, "os");
    try {
      return CATALOG.scan(log, os);
    } catch (IOException e) {
      throw new UncheckedIOException("scan: cannot read the log", e);
    }
  }

  /**
   * Entries whose names (or codes) are close to {@code query}, best first: for "not found"
   * messages. At most {@code limit}; empty for a blank query.
   */
  public static List<SocketError> closest(String query, int limit) {
    return CATALOG.closest(query, limit);
  }
}
