package io.redial;

import io.redial.errors.SocketErrors;

/**
 * Thrown by a {@link Handshake}, or its stage completed with it (directly or inside a
 * {@code CompletionException}), when retrying cannot help — wrong credentials, an unsupported
 * protocol version: the connection closes for good with {@code HANDSHAKE_REJECTED}, and
 * {@code connect()} fails with it as the cause.
 */
public class HandshakeRejectedException extends RedialException {
  private static final long serialVersionUID = 1L;

  public HandshakeRejectedException(String message) {
    this(message, null);
  }

  public HandshakeRejectedException(String message, Throwable cause) {
    super(SocketErrors.lookup("HANDSHAKE_REJECTED").orElseThrow(),
        message + " [HANDSHAKE_REJECTED]", cause);
  }
}
