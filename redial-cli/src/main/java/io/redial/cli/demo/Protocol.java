package io.redial.cli.demo;

import java.nio.ByteBuffer;

/**
 * The demo's frames (payloads of Redial's length-prefixed framing). Every frame names its managed
 * connection, so the server can tell which sockets belong to which connection:
 *
 * <ul>
 *   <li>data: {@code 'D'}, connection index (int), sequence number (long), attempt (byte; 0 for
 *       the first send, n for the n-th re-send by the demo)
 *   <li>ping: {@code 'P'}, connection index (int); the heartbeat's ping, echoed like any frame
 * </ul>
 */
final class Protocol {
  static final byte DATA = 'D';
  static final byte PING = 'P';
  static final int DATA_BYTES = 1 + 4 + 8 + 1;
  static final int PING_BYTES = 1 + 4;
  /** The largest payload: the framing's maximum, so anything bigger is refused unread. */
  static final int MAX_FRAME_BYTES = DATA_BYTES;
  /** Attempts fit in one byte; a frame re-sent more often than this is given up (counted lost). */
  static final int MAX_ATTEMPT = 127;

  /** A decoded frame; {@code seq} and {@code attempt} are 0 for pings. */
  record Frame(byte type, int connection, long seq, int attempt) {
    boolean isPing() {
      return type == PING;
    }
  }

  private Protocol() {}

  static byte[] data(int connection, long seq, int attempt) {
    if (attempt < 0 || attempt > MAX_ATTEMPT) {
      throw new IllegalArgumentException("attempt must be 0.." + MAX_ATTEMPT + ", was " + attempt);
    }
    return ByteBuffer.allocate(DATA_BYTES).put(DATA).putInt(connection).putLong(seq)
        .put((byte) attempt).array();
  }

  static byte[] ping(int connection) {
    return ByteBuffer.allocate(PING_BYTES).put(PING).putInt(connection).array();
  }

  /** Decodes a payload; null when it is not a well-formed demo frame. */
  static Frame parse(ByteBuffer payload) {
    int n = payload.remaining();
    if (n < 1) {
      return null;
    }
    byte type = payload.get(payload.position());
    if (type == DATA && n == DATA_BYTES) {
      int conn = payload.getInt(payload.position() + 1);
      long seq = payload.getLong(payload.position() + 5);
      int attempt = payload.get(payload.position() + 13);
      return conn >= 0 && seq >= 0 && attempt >= 0 ? new Frame(DATA, conn, seq, attempt) : null;
    }
    if (type == PING && n == PING_BYTES) {
      int conn = payload.getInt(payload.position() + 1);
      return conn >= 0 ? new Frame(PING, conn, 0, 0) : null;
    }
    return null;
  }

  static Frame parse(byte[] payload) {
    return parse(ByteBuffer.wrap(payload));
  }
}
