package io.redial.internal;

import io.redial.RedialException;
import io.redial.errors.SocketError;
import io.redial.errors.SocketErrors;

/**
 * The catalog entries Redial itself raises, looked up once: typed constants instead of names
 * written as strings at every use (a typo would fail only when the failure happens).
 */
public enum Errors {
  CONNECT_TIMEOUT,
  CHANNEL_CLOSED,
  CONNECTION_CLOSED,
  HEARTBEAT_TIMEOUT,
  QUEUE_FULL,
  QUEUE_TIMEOUT,
  FRAME_TOO_LARGE,
  WSAENOTCONN,
  REQUEST_TIMEOUT,
  CONNECTION_LOST,
  HANDSHAKE_FAILED,
  HANDSHAKE_REJECTED,
  CODEC_FAILED,
  TLS_CONTEXT_FAILED,
  NO_ENDPOINTS,
  NO_SOCKET_FILE,
  UNKNOWN;

  private final SocketError entry;

  Errors() {
    this.entry = SocketErrors.lookup(name())
        .orElseThrow(() -> new ExceptionInInitializerError("no catalog entry " + name()));
  }

  /** The catalog entry. */
  public SocketError entry() {
    return entry;
  }

  /** A failure of this kind; the message ends with the entry's name, as every Redial message. */
  public RedialException exception(String message) {
    return exception(message, null);
  }

  /** A failure of this kind with the low-level exception behind it. */
  public RedialException exception(String message, Throwable cause) {
    return new RedialException(entry, message + " [" + entry.name() + "]", cause);
  }
}
