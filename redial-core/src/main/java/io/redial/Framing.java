package io.redial;

import static io.redial.internal.Checks.range;

/**
 * How a byte stream is cut into frames, both ways.
 *
 * <ul>
 *   <li>{@link #lengthPrefixed()}: a 4-byte big-endian length, then that many bytes (default).
 *   <li>{@link #lines(int)}: text lines ended by {@code \n} or {@code \r\n}; the ending is stripped
 *       on receive and {@code \n} is added on send.
 *   <li>{@link #raw()}: no framing; each read delivers whatever bytes arrived.
 * </ul>
 *
 * <p>Limits protect against a hostile peer: an announced length or a line over the maximum closes
 * the channel before anything of that size is allocated, and the connection reconnects.
 */
public final class Framing implements Codec<byte[]> {
  /** The framing's kind. */
  public enum Type { LENGTH_PREFIXED, LINES, RAW }

  /** 16 MiB: the default maximum frame of {@link #lengthPrefixed()}. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

  /** The largest payload a 4-byte length prefix can announce in one Netty buffer. */
  public static final int MAX_LENGTH_PREFIXED_BYTES = Integer.MAX_VALUE - 8;

  private final Type type;
  private final int maxFrameBytes;

  private static final Framing DEFAULT = new Framing(Type.LENGTH_PREFIXED, DEFAULT_MAX_FRAME_BYTES);

  private Framing(Type type, int maxFrameBytes) {
    this.type = type;
    this.maxFrameBytes = maxFrameBytes;
  }

  /** 4-byte big-endian length prefix; frames up to 16 MiB. */
  public static Framing lengthPrefixed() {
    return DEFAULT; // immutable: every default connection shares it
  }

  /** 4-byte big-endian length prefix; frames up to {@code maxFrameBytes}. */
  public static Framing lengthPrefixed(int maxFrameBytes) {
    range("maxFrameBytes", maxFrameBytes, 1, MAX_LENGTH_PREFIXED_BYTES);
    return new Framing(Type.LENGTH_PREFIXED, maxFrameBytes);
  }

  /** Lines of at most {@code maxLineBytes} bytes, without the line ending. */
  public static Framing lines(int maxLineBytes) {
    range("maxLineBytes", maxLineBytes, 1, MAX_LENGTH_PREFIXED_BYTES);
    return new Framing(Type.LINES, maxLineBytes);
  }

  /** Bytes as they arrive; a sent frame is written as is. */
  public static Framing raw() {
    return new Framing(Type.RAW, MAX_LENGTH_PREFIXED_BYTES);
  }

  public Type type() {
    return type;
  }

  /** {@code byte[].class}: a framing carries byte arrays. */
  @Override
  public Class<byte[]> messageType() {
    return byte[].class;
  }

  /** The largest frame payload accepted, in bytes, either way. */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  @Override
  public String toString() {
    return switch (type) {
      case LENGTH_PREFIXED -> "Framing.lengthPrefixed(" + maxFrameBytes + ")";
      case LINES -> "Framing.lines(" + maxFrameBytes + ")";
      case RAW -> "Framing.raw()";
    };
  }
}
