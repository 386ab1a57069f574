package io.redial.errors;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One entry of the catalog: a socket error under every name and number it goes by, with what it
 * means, why it happens and how to fix it.
 *
 * @param name the canonical name, e.g. {@code "WSAEISCONN"}; for errors with no Winsock code the
 *     POSIX name ({@code "ECONNRESET"}) or a JDK/Redial condition name
 * @param winsock the Windows Sockets code (10056), if the error has one
 * @param linuxErrno the Linux errno (106), if the error has one
 * @param macosErrno the macOS errno (56), if the error has one
 * @param summary one line: what happened
 * @param cause why it happens, concretely
 * @param fix how to fix and prevent it
 */
public record SocketError(
    String name,
    OptionalInt winsock,
    OptionalInt linuxErrno,
    OptionalInt macosErrno,
    String summary,
    String cause,
    String fix) {

  public SocketError {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(winsock, "winsock");
    Objects.requireNonNull(linuxErrno, "linuxErrno");
    Objects.requireNonNull(macosErrno, "macosErrno");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(fix, "fix");
  }
}
