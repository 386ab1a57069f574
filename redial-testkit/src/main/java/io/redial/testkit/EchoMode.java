package io.redial.testkit;

/** How an {@link EchoServer} cuts the byte stream into frames before echoing each one back. */
public enum EchoMode {
  /** A 4-byte big-endian length, then that many bytes (Redial's {@code Framing.lengthPrefixed()}). */
  LENGTH_PREFIXED,
  /** Lines ending in {@code \n}; the line is echoed with its terminator. */
  LINES,
  /** No framing: every byte read is written back. */
  RAW
}
