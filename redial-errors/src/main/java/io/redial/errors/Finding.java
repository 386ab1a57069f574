package io.redial.errors;

import java.util.Objects;

/**
 * An error that {@link SocketErrors#scan} recognised in a log.
 *
 * @param error the catalog entry
 * @param firstLine the 1-based number of the first line it was found on
 * @param count how many lines it was found on
 * @param excerpt the text of the first line where it was found
 */
public record Finding(SocketError error, int firstLine, int count, String excerpt) {
  public Finding {
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(excerpt, "excerpt");
  }
}
