package io.redial.internal.agent;

/**
 * What the agent knows about one socket. Never refers to the socket itself, so the socket can be
 * collected (which is how leaks are found). All mutable fields are guarded by {@code this}.
 */
final class SocketRecord {
  final SocketKind kind;
  final long id;

  /** Where the socket was opened; non-null means "report if collected without close()". */
  Attempt opened;
  /** The connect in flight (blocking, or a pending non-blocking one); null when none. */
  Attempt pending;
  /** The connect that succeeded; null until the socket is connected. */
  Attempt connectedBy;
  /** The first close; null while open. */
  Attempt closedAt;
  /**
   * The socket's first operation whose stack was recorded (its open, or its first connect), kept
   * until the socket is collected: by default the only stack the agent records for it, shown in
   * a report whose earlier operation has none. Null until then.
   */
  Attempt origin;
  /** What {@link #origin} was, as reports name it: "opened" or "first connect". */
  String originRole;
  /**
   * The stack budget refused this socket its one stack (by default a socket asks once, at its
   * first operation): its reports say the stack was not sampled.
   */
  boolean stackRefused;

  SocketRecord(SocketKind kind, long id) {
    this.kind = kind;
    this.id = id;
  }

  /** How reports name the socket, e.g. {@code java.net.Socket#3}. */
  String label() {
    return kind.typeName() + "#" + id;
  }
}
