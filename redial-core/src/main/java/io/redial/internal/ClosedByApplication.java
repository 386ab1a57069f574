package io.redial.internal;

import io.redial.RedialException;
import io.redial.errors.SocketError;
import io.redial.errors.SocketErrors;

/**
 * The cause of a close the application asked for. Made once per connection on a hot path (every
 * connect/close cycle), and its stack would only show the event loop: no stack trace.
 */
final class ClosedByApplication extends RedialException {
  private static final long serialVersionUID = 1L;
  /** Looked up once: a catalog lookup per close showed up in the connect benchmark's profile. */
  private static final SocketError CONNECTION_CLOSED =
      SocketErrors.lookup("CONNECTION_CLOSED").orElseThrow();

  ClosedByApplication(String connection) {
    super(
        CONNECTION_CLOSED,
        "connection '" + connection + "' was closed by the application [CONNECTION_CLOSED]",
        null,
        false);
  }
}
