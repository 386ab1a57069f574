package io.redial.testkit;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A snapshot of one live connection through a {@link FaultProxy}.
 *
 * @param id               proxy-assigned, increasing from 1 in accept order
 * @param client           the client's address as the proxy saw it
 * @param upstreamConnected whether the proxy's own connection to the upstream is open
 *                         (false while connecting, and for connections held by {@code stallNew})
 * @param bytesFromClient  bytes read from the client
 * @param bytesToUpstream  bytes written to the upstream (differs from the above by what faults
 *                         dropped, truncated or still hold)
 * @param bytesFromUpstream bytes read from the upstream
 * @param bytesToClient    bytes written to the client
 */
public record ProxiedConnection(long id, InetSocketAddress client, boolean upstreamConnected,
    long bytesFromClient, long bytesToUpstream, long bytesFromUpstream, long bytesToClient) {

  /** Checks the values. */
  public ProxiedConnection {
    Objects.requireNonNull(client, "client");
  }
}
