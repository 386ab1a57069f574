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
    Optional<SocketError> explanation) {
  Report {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(headline, "headline");
    Objects.requireNonNull(firstRole, "firstRole");
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(explanation, "explanation");
  }
}
