package io.redial.errors;

import java.util.Objects;

/**
 * One way an error shows up on the JVM: an exception class, the message it carries, and a note
 * on where that wording comes from (for example {@code "JDK 17"}).
 *
 * @param exception the fully qualified class name, e.g. {@code java.net.SocketException}
 * @param message the message, or empty when the class alone identifies the error
 * @param note where this form is seen, or empty
 */
public record JavaForm(String exception, String message, String note) {
  public JavaForm {
    Objects.requireNonNull(exception, "exception");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(note, "note");
  }

  /** The class name without its package, e.g. {@code SocketException}. */
  public String simpleName() {
    return exception.substring(exception.lastIndexOf('.') + 1);
  }

  /** As it appears in a stack trace: {@code class: message}. */
  @Override
  public String toString() {
    return message.isEmpty() ? exception : exception + ": " + message;
  }
}
