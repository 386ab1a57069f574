package io.redial.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Objects;

/**
 * A configured endpoint: a host name (resolved afresh at every attempt, so DNS changes are
 * followed), a resolved address (used as is), or a Unix domain socket file. Immutable; equal when
 * host, port, resolved address and socket file are.
 *
 * <p>A resolved address given as an {@link InetSocketAddress} is kept as given, not copied into
 * a host string and a new address per connection: many connections to one server share it (see
 * the footprint benchmark).
 */
public final class Endpoint {
  /** As configured; null when {@link #inet} is the configured address (then it names itself). */
  private final String host;
  private final int port;
  /** The address to connect to when it was given resolved; else null. */
  private final InetSocketAddress inet;
  private final UnixDomainSocketAddress unix;

  private Endpoint(String host, int port, InetSocketAddress inet, UnixDomainSocketAddress unix) {
    this.host = host;
    this.port = port;
    this.inet = inet;
    this.unix = unix;
  }

  /**
   * A TCP endpoint: a name to resolve ({@code resolved} null) or an address.
   *
   * @param host the host name or literal address as configured
   * @param port 1..65535 (0 only for the placeholder of a failed endpoints supplier)
   */
  public Endpoint(String host, int port, InetAddress resolved) {
    this(Objects.requireNonNull(host, "host"), port,
        resolved == null ? null : new InetSocketAddress(resolved, port), null);
  }

  /** A TCP endpoint at a resolved address, kept as it is. */
  public static Endpoint of(InetSocketAddress resolved) {
    if (resolved.isUnresolved()) {
      throw new IllegalArgumentException(resolved + " is not resolved");
    }
    return new Endpoint(null, resolved.getPort(), resolved, null);
  }

  /** A Unix domain socket endpoint. */
  public static Endpoint unix(UnixDomainSocketAddress address) {
    return new Endpoint(address.getPath().toString(), 0, null, address);
  }

  /** The host name or literal address as configured; for a Unix socket, its path. */
  public String host() {
    return host != null ? host : inet.getHostString();
  }

  /** 1..65535; 0 for a Unix socket. */
  public int port() {
    return port;
  }

  /** The address when it was given resolved, else null. */
  public InetAddress resolved() {
    return inet == null ? null : inet.getAddress();
  }

  /** The socket file's address for a Unix domain socket endpoint, else null. */
  public UnixDomainSocketAddress unix() {
    return unix;
  }

  /** True for a Unix domain socket. */
  public boolean isUnix() {
    return unix != null;
  }

  /** The address to connect to as configured, or null when a name must be resolved first. */
  public SocketAddress fixedAddress() {
    return unix != null ? unix : inet;
  }

  /** A TCP endpoint's address: unresolved when a name must be looked up. */
  public InetSocketAddress connectAddress() {
    if (unix != null) {
      throw new IllegalStateException(label() + " is a Unix domain socket, not a TCP endpoint");
    }
    return inet != null ? inet : InetSocketAddress.createUnresolved(host, port);
  }

  /** {@code host:port}, with IPv6 literals in brackets; {@code unix:path} for a Unix socket. */
  public String label() {
    String h = host();
    if (unix != null) {
      return "unix:" + h;
    }
    return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Endpoint e && port == e.port && host().equals(e.host())
        && Objects.equals(resolved(), e.resolved()) && Objects.equals(unix, e.unix);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host(), port, resolved(), unix);
  }

  @Override
  public String toString() {
    return label();
  }
}
