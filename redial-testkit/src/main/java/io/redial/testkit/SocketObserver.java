package io.redial.testkit;

import java.nio.ByteBuffer;

/**
 * Watches one socket an {@link EchoServer} accepted: which frames it carried and when it closed
 * (e.g. to tell which client a server-side socket belongs to, and whether a client held two at
 * once). One observer per socket, made by the supplier given to
 * {@link EchoServer.Builder#observer(java.util.function.Supplier)}; called on the server's event
 * loop, never concurrently for one socket. Keep it quick: the echo waits for it.
 */
public interface SocketObserver {
  /**
   * A frame arrived, just before it is echoed. {@code payload} is a read-only view, valid only
   * during the call: the frame without its length prefix ({@link EchoMode#LENGTH_PREFIXED}),
   * the line without its terminator ({@link EchoMode#LINES}), or the bytes of one read
   * ({@link EchoMode#RAW}).
   */
  default void frame(ByteBuffer payload) {}

  /** The socket closed (either side closed it, or the server stopped). */
  default void closed() {}
}
