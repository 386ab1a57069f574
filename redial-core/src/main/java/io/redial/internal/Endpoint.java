package io.redial.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A configured endpoint. A host name is resolved afresh at every attempt (so DNS changes are
 * followed); an endpoint given as a resolved address is used as is.
 *
 * @param host the host name or literal address as configured
 * @param port 1..65535
 * @param resolved the address when it was given resolved, else null
 */
public record Endpoint(String host, int port, InetAddress resolved) {
  public Endpoint {
    Objects.requireNonNull(host, "host");
  }

  /** The address to hand to the connect call: unresolved when a name must be looked up. */
  public InetSocketAddress connectAddress() {
    return resolved != null
        ? new InetSocketAddress(resolved, port)
        : InetSocketAddress.createUnresolved(host, port);
  }

  /** {@code host:port}, with IPv6 literals in brackets. */
  public String label() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return label();
  }
}
