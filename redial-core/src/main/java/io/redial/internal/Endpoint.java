package io.redial.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Objects;

/**
 * A configured endpoint: a host name (resolved afresh at every attempt, so DNS changes are
 * followed), a resolved address (used as is), or a Unix domain socket file.
 *
 * @param host the host name or literal address as configured; for a Unix socket, its path
 * @param port 1..65535; 0 for a Unix socket
 * @param resolved the address when it was given resolved, else null
 * @param unix the socket file's address for a Unix domain socket endpoint, else null
 */
public record Endpoint(String host, int port, InetAddress resolved, UnixDomainSocketAddress unix) {
  public Endpoint {
    Objects.requireNonNull(host, "host");
  }

  /** A TCP endpoint: a name to resolve ({@code resolved} null) or an address. */
  public Endpoint(String host, int port, InetAddress resolved) {
    this(host, port, resolved, null);
  }

  /** A Unix domain socket endpoint. */
  public static Endpoint unix(UnixDomainSocketAddress address) {
    return new Endpoint(address.getPath().toString(), 0, null, address);
  }

  /** True for a Unix domain socket. */
  public boolean isUnix() {
    return unix != null;
  }

  /** The address to connect to as configured, or null when a name must be resolved first. */
  public SocketAddress fixedAddress() {
    if (unix != null) {
      return unix;
    }
    return resolved == null ? null : new InetSocketAddress(resolved, port);
  }

  /** A TCP endpoint's address: unresolved when a name must be looked up. */
  public InetSocketAddress connectAddress() {
    if (unix != null) {
      throw new IllegalStateException(label() + " is a Unix domain socket, not a TCP endpoint");
    }
    return resolved != null
        ? new InetSocketAddress(resolved, port)
        : InetSocketAddress.createUnresolved(host, port);
  }

  /** {@code host:port}, with IPv6 literals in brackets; {@code unix:path} for a Unix socket. */
  public String label() {
    if (unix != null) {
      return "unix:" + host;
    }
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return label();
  }
}
