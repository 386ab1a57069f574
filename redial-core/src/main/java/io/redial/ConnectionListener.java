package io.redial;

/**
 * Receives a connection's {@link ConnectionEvent}s, in order, on the connection's event loop.
 *
 * <p>Do not block in {@link #onEvent}. A listener that throws is logged and does not affect the
 * connection or the other listeners.
 */
@FunctionalInterface
public interface ConnectionListener {
  void onEvent(ConnectionEvent event);
}
