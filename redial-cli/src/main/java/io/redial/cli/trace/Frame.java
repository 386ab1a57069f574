package io.redial.cli.trace;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * One frame of a stack that {@code strace -k} printed: {@code > /path/bin(main+0x98) [0x1231]}.
 *
 * @param binary the file the code lives in, or "" when strace could not tell
 * @param symbol the nearest symbol with its offset ({@code main+0x98}), or ""
 * @param address the offset into {@code binary} that {@code addr2line} takes
 */
public record Frame(String binary, String symbol, long address) {
  private static final java.util.regex.Pattern LINE =
      java.util.regex.Pattern.compile("^ > (.*?)(?:\\((.*)\\))? \\[0x([0-9a-fA-F]+)\\]\\s*$");

  public Frame {
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(symbol, "symbol");
  }

  /** Parses one {@code " > …"} line; empty when it is not a frame. */
  static Optional<Frame> parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Frame(m.group(1).strip(), m.group(2) == null ? "" : m.group(2),
          Long.parseUnsignedLong(m.group(3), 16)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The function name without its offset: {@code main}. */
  String function() {
    int plus = symbol.lastIndexOf('+');
    return plus > 0 ? symbol.substring(0, plus) : symbol;
  }

  /** {@code /path/bin+0x1231}. */
  @Override
  public String toString() {
    return (symbol.isEmpty() ? "" : symbol + " ") + "(" + binary + "+0x" + Long.toHexString(address)
        + ")";
  }
}
