package io.redial;

import io.redial.errors.SocketError;
import io.redial.errors.SocketErrors;
import java.util.Objects;

/**
 * A failure of a Redial connection, with the catalog entry that explains it.
 *
 * <p>{@link #error()} says what kind of failure it is ({@code WSAECONNREFUSED},
 * {@code CONNECT_TIMEOUT}, {@code QUEUE_FULL}, …); the message says what happened to which
 * connection; the cause, when there is one, is the exception Netty or the JDK reported.
 */
public class RedialException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient SocketError error;

  public RedialException(SocketError error, String message) {
    this(error, message, null);
  }

  public RedialException(SocketError error, String message, Throwable cause) {
    super(message, cause);
    this.error = Objects.requireNonNull(error, "error");
  }

  /**
   * For failures whose stack trace would only show the event loop (a connection closed by the
   * application, say): {@code writableStackTrace=false} spares the cost of filling it in.
   */
  protected RedialException(
      SocketError error, String message, Throwable cause, boolean writableStackTrace) {
    super(message, cause, true, writableStackTrace);
    this.error = Objects.requireNonNull(error, "error");
  }

  /** The catalog entry that explains this failure: its summary, cause and fix. */
  public SocketError error() {
    return error;
  }

  /**
   * Wraps a low-level failure, classifying it with the catalog ({@code UNKNOWN} when the catalog
   * does not recognise it). A {@code RedialException} is returned as is.
   */
  public static RedialException wrap(String message, Throwable cause) {
    if (cause instanceof RedialException re) {
      return re;
    }
    SocketError error =
        SocketErrors.of(cause).orElseGet(() -> SocketErrors.lookup("UNKNOWN").orElseThrow());
    String detail = cause == null ? "" : ": " + cause;
    return new RedialException(error, message + detail + " [" + error.name() + "]", cause);
  }

  /** A failure of a kind named in the catalog, e.g. {@code "QUEUE_FULL"}. */
  public static RedialException of(String errorName, String message) {
    return of(errorName, message, null);
  }

  /** A failure of a kind named in the catalog, with the low-level exception behind it. */
  public static RedialException of(String errorName, String message, Throwable cause) {
    SocketError error =
        SocketErrors.lookup(errorName)
            .orElseThrow(() -> new IllegalStateException("no catalog entry " + errorName));
    return new RedialException(error, message + " [" + errorName + "]", cause);
  }
}
