package io.redial.errors;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One entry of the catalog: a socket error under every name and number it goes by, with what it
 * means, why it happens and how to fix it.
 *
 * @param name the canonical name, e.g. {@code "WSAEISCONN"}; for errors with no Winsock code the
 *     POSIX name ({@code "EPROTO"}) or a JDK/Redial condition name ({@code "CONNECT_TIMEOUT"})
 * @param winsock the Windows Sockets code (10056), if the error has one
 * @param linuxErrno the Linux errno (106), if the error has one
 * @param macosErrno the macOS errno (56), if the error has one
 * @param summary one line: what happened
 * @param cause why it happens, concretely, and how to confirm it
 * @param fix how to fix and prevent it
 * @param kind where the entry comes from
 * @param posixName the POSIX twin's symbolic name ({@code "EISCONN"}), if there is one
 * @param aliases other names the error goes by ({@code "EAGAIN"} for {@code EWOULDBLOCK})
 * @param javaForms the exceptions and messages it shows up as on the JVM
 * @param osMessages the operating systems' own texts for it
 * @param tip the fix in a few words, for tables (at most {@value #MAX_TIP} characters)
 */
public record SocketError(
    String name,
    OptionalInt winsock,
    OptionalInt linuxErrno,
    OptionalInt macosErrno,
    String summary,
    String cause,
    String fix,
    Kind kind,
    Optional<String> posixName,
    List<String> aliases,
    List<JavaForm> javaForms,
    List<OsMessage> osMessages,
    String tip) {

  /** The longest {@link #tip()}: it has to fit a table row next to the longest name. */
  public static final int MAX_TIP = 40;

  /** HRESULT_FROM_WIN32: severity bit and FACILITY_WIN32 (7) over the 16-bit code. */
  private static final int HRESULT_WIN32 = 0x8007_0000;

  public SocketError {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(winsock, "winsock");
    Objects.requireNonNull(linuxErrno, "linuxErrno");
    Objects.requireNonNull(macosErrno, "macosErrno");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(fix, "fix");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(posixName, "posixName");
    aliases = List.copyOf(aliases);
    javaForms = List.copyOf(javaForms);
    osMessages = List.copyOf(osMessages);
    Objects.requireNonNull(tip, "tip");
  }

  /**
   * An entry with only the seven original components; the kind is inferred (a Winsock code makes
   * it {@link Kind#WINSOCK}, an errno {@link Kind#POSIX}, otherwise {@link Kind#REDIAL}).
   */
  public SocketError(
      String name,
      OptionalInt winsock,
      OptionalInt linuxErrno,
      OptionalInt macosErrno,
      String summary,
      String cause,
      String fix) {
    this(name, winsock, linuxErrno, macosErrno, summary, cause, fix,
        winsock.isPresent() ? Kind.WINSOCK
            : linuxErrno.isPresent() || macosErrno.isPresent() ? Kind.POSIX : Kind.REDIAL,
        Optional.empty(), List.of(), List.of(), List.of(), firstSentence(fix));
  }

  private static String firstSentence(String text) {
    int end = text.indexOf(". ");
    return end < 0 ? text : text.substring(0, end + 1);
  }

  /** The errno on the given OS; on Windows the Winsock code. */
  public OptionalInt code(Os os) {
    switch (os) {
      case LINUX:
        return linuxErrno;
      case MACOS:
        return macosErrno;
      default:
        return winsock;
    }
  }

  /** The Winsock code in hex as Windows prints it, e.g. {@code 0x00002748}. */
  public Optional<String> hex() {
    return winsock.isPresent()
        ? Optional.of(String.format(Locale.ROOT, "0x%08X", winsock.getAsInt()))
        : Optional.empty();
  }

  /** The Winsock code as an HRESULT (HRESULT_FROM_WIN32), e.g. {@code 0x80072748}. */
  public Optional<String> hresult() {
    return winsock.isPresent()
        ? Optional.of(String.format(Locale.ROOT, "0x%08X", HRESULT_WIN32 | winsock.getAsInt()))
        : Optional.empty();
  }

  /** The OS's own text for this error on {@code os}, if the catalog has it. */
  public Optional<String> osMessage(Os os) {
    return osMessages.stream().filter(m -> m.os() == os).map(OsMessage::text).findFirst();
  }
}
