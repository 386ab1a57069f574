package io.redial.errors;

import java.util.List;
import java.util.Objects;

/**
 * One reading of a query that means different errors on different systems: {@code 87} is
 * {@code EUSERS} on Linux but {@code ERROR_INVALID_PARAMETER} ({@code WSA_INVALID_PARAMETER}) on
 * Windows. See {@link SocketErrors#meanings(String, Os)}.
 *
 * @param error the catalog entry
 * @param oses the systems on which the query means this entry, never empty
 */
public record Meaning(SocketError error, List<Os> oses) {
  public Meaning {
    Objects.requireNonNull(error, "error");
    oses = List.copyOf(oses);
    if (oses.isEmpty()) {
      throw new IllegalArgumentException("oses must name at least one system");
    }
  }
}
