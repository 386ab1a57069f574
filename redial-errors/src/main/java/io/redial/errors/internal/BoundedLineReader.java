package io.redial.errors.internal;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines like {@link java.io.BufferedReader#readLine()} but keeps at most {@code maxChars}
 * of each: the rest of an overlong line is read and dropped. A binary file or a log without
 * newlines therefore costs a fixed amount of memory, however large it is.
 */
final class BoundedLineReader {
  private final Reader in;
  private final int maxChars;
  private final char[] buf = new char[8_192];
  private final StringBuilder line = new StringBuilder();
  private int pos;
  private int len;
  /** The last line ended with '\r': a '\n' right after it belongs to the same line break. */
  private boolean afterCr;
  private boolean eof;

  BoundedLineReader(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  /** The next line without its terminator, cut to {@code maxChars}; null at the end. */
  String next() throws IOException {
    line.setLength(0);
    boolean any = false;
    while (true) {
      if (pos == len) {
        if (eof) {
          return any ? line.toString() : null;
        }
        len = in.read(buf, 0, buf.length);
        pos = 0;
        if (len <= 0) {
          len = 0;
          eof = true;
          continue;
        }
      }
      char c = buf[pos++];
      if (afterCr) {
        afterCr = false;
        if (c == '\n') {
          continue;
        }
      }
      if (c == '\n') {
        return line.toString();
      }
      if (c == '\r') {
        afterCr = true;
        return line.toString();
      }
      any = true;
      if (line.length() < maxChars) {
        line.append(c);
      }
    }
  }
}
