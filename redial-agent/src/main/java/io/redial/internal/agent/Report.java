package io.redial.internal.agent;

import io.redial.errors.SocketError;
import java.util.Objects;
import java.util.Optional;

/**
 * One finding, ready to print.
 *
 * @param pattern what went wrong
 * @param socket how the socket is named, e.g. {@code java.net.Socket#3}
 * @param headline one line saying what happened
 * @param firstRole what {@code first} is, e.g. "first connect", "closed", "opened"
 * @param first the earlier operation that makes this one wrong (or the open, for a leak)
 * @param secondRole what {@code second} is, or null
 * @param second the offending operation, or null for a leak
 * @param note an extra sentence, or null
 * @param explanation the catalog entry, when the catalog has one
 * @param originRole what {@code origin} is ("opened", "first connect"), or null
 * @param origin the socket's one recorded stack, shown when {@code first} has none (its stack was
 *     not recorded); null otherwise. It happened before {@code first}.
 */
record Report(
    Pattern pattern,
    String socket,
    String headline,
    String firstRole,
    Attempt first,
    String secondRole,
    Attempt second,
    String note,
    Optional<SocketError> explanation,
    String originRole,
    Attempt origin) {
  /** A report without an origin section. */
  Report(Pattern pattern, String socket, String headline, String firstRole, Attempt first,
      String secondRole, Attempt second, String note, Optional<SocketError> explanation) {
    this(pattern, socket, headline, firstRole, first, secondRole, second, note, explanation,
        null, null);
  }

  Report {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(headline, "headline");
    Objects.requireNonNull(firstRole, "firstRole");
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(explanation, "explanation");
    if ((originRole == null) != (origin == null)) {
      throw new IllegalArgumentException("origin and originRole go together");
    }
  }
}
