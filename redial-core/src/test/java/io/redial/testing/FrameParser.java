package io.redial.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Cuts a length-prefixed byte stream (4-byte big-endian length) into frames, for test servers. */
public final class FrameParser {
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  /** Adds bytes; returns the frames they completed. */
  public List<byte[]> feed(byte[] bytes) {
    pending.write(bytes, 0, bytes.length);
    byte[] all = pending.toByteArray();
    List<byte[]> frames = new ArrayList<>();
    int pos = 0;
    while (all.length - pos >= 4) {
      int len = ByteBuffer.wrap(all, pos, 4).getInt();
      if (len < 0 || all.length - pos - 4 < len) {
        break;
      }
      byte[] f = new byte[len];
      System.arraycopy(all, pos + 4, f, 0, len);
      frames.add(f);
      pos += 4 + len;
    }
    pending.reset();
    pending.write(all, pos, all.length - pos);
    return frames;
  }

  /** A numbered frame: the sequence number, then {@code padding} bytes. */
  public static byte[] numbered(long seq, int padding) {
    return ByteBuffer.allocate(8 + padding).putLong(seq).array();
  }

  public static long number(byte[] frame) {
    return ByteBuffer.wrap(frame).getLong();
  }
}
