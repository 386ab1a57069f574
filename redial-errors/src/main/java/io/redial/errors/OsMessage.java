package io.redial.errors;

import java.util.Objects;

/**
 * The text an operating system prints for an error ({@code strerror()} on POSIX,
 * {@code FormatMessage()} on Windows).
 *
 * @param os the operating system
 * @param text the message
 */
public record OsMessage(Os os, String text) {
  public OsMessage {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(text, "text");
  }
}
