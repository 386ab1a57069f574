package io.redial.internal;

import io.redial.RedialException;
import io.redial.errors.SocketErrors;

/**
 * The cause of a close the application asked for. Made once per connection on a hot path (every
 * connect/close cycle), and its stack would only show the event loop: no stack trace.
 */
final class ClosedByApplication extends RedialException {
  private static final long serialVersionUID = 1L;

  ClosedByApplication(String connection) {
    super(
        SocketErrors.lookup("CONNECTION_CLOSED").orElseThrow(),
        "connection '" + connection + "' was closed by the application [CONNECTION_CLOSED]",
        null,
        false);
  }
}
