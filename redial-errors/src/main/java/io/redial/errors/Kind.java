package io.redial.errors;

/** Where an entry of the catalog comes from. */
public enum Kind {
  /** A Windows Sockets code (winsock2.h / winerror.h), usually with a POSIX twin. */
  WINSOCK,
  /** A POSIX errno that has no Winsock twin. */
  POSIX,
  /** A condition the JVM (or a JVM library such as Netty) reports without an OS error number. */
  JAVA,
  /** A condition Redial itself reports. */
  REDIAL
}
