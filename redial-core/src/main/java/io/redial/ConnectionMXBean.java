package io.redial;

/**
 * The JMX view of one connection, registered as {@code io.redial:type=Connection,name=<name>}
 * (the name quoted when it holds a character {@code ObjectName} reserves) when the builder's
 * {@code jmx()} is on, and unregistered when the connection closes. The attributes read
 * {@link MessageConnection#stats()} and the state without waiting for the event loop; the
 * operations are the connection's own.
 */
public interface ConnectionMXBean {
  /** The connection's name. */
  String getName();

  /** The state now: IDLE, CONNECTING, CONNECTED, BACKOFF, CLOSING or CLOSED. */
  String getState();

  /** How many channels the connection has opened. */
  long getGeneration();

  /** Connect attempts started. */
  long getAttempts();

  /** Attempts that reached CONNECTED. */
  long getConnects();

  /** Times a CONNECTED channel was lost. */
  long getDisconnects();

  /** Messages written to a live socket. */
  long getMessagesSent();

  /** Messages decoded from the peer. */
  long getMessagesReceived();

  /** Payload bytes of the messages sent. */
  long getBytesSent();

  /** Payload bytes of the messages received. */
  long getBytesReceived();

  /** Messages waiting in the offline queue now. */
  int getQueuedMessages();

  /** Payload bytes waiting in the offline queue now. */
  long getQueuedBytes();

  /** {@link MessageConnection#reconnect()}: replaces the live channel with a fresh one. */
  void reconnect();

  /** {@link MessageConnection#resetBackoff()}: retries at once if waiting in BACKOFF. */
  void resetBackoff();
}
