package io.redial.testkit;

/** Which way through a {@link FaultProxy} a fault applies to. */
public enum Direction {
  /** Client to server: bytes the client writes, on their way to the upstream. */
  UPSTREAM,
  /** Server to client: bytes the upstream writes, on their way back to the client. */
  DOWNSTREAM,
  /** Both ways. */
  BOTH;

  /** Whether a fault declared for this direction applies to traffic flowing {@code lane}. */
  public boolean covers(Direction lane) {
    return this == BOTH || this == lane;
  }
}
