package io.redial.cli.chaos;

import java.nio.ByteBuffer;

/**
 * The soak's application protocol, inside Redial's length-prefixed framing. Every frame names its
 * managed connection, so the echo server knows which sockets belong to which connection from the
 * first frame of each socket (the heartbeat's ping included):
 * <ul>
 *   <li>data: {@code 'D'}, connection (int), sequence number (long), attempt (byte: 0 for the
 *       first send, n for the n-th re-send)
 *   <li>ping: {@code 'P'}, connection (int)
 * </ul>
 */
final class ChaosFrames {
  static final byte DATA = 'D';
  static final byte PING = 'P';
  static final int DATA_BYTES = 14;
  static final int PING_BYTES = 5;
  /** The framing's limit: anything longer is refused unread. */
  static final int MAX_FRAME_BYTES = DATA_BYTES;
  /** A frame re-sent more often than this is given up, and counted lost. */
  static final int MAX_ATTEMPT = 63;

  /** A decoded frame; seq and attempt are 0 for a ping. */
  record Frame(byte type, int connection, long seq, int attempt) {
    boolean isPing() {
      return type == PING;
    }
  }

  private ChaosFrames() {}

  static byte[] data(int connection, long seq, int attempt) {
    if (attempt < 0 || attempt > MAX_ATTEMPT) {
      throw new IllegalArgumentException("attempt is " + attempt + "; allowed: 0 to " + MAX_ATTEMPT);
    }
    return ByteBuffer.allocate(DATA_BYTES).put(DATA).putInt(connection).putLong(seq)
        .put((byte) attempt).array();
  }

  static byte[] ping(int connection) {
    return ByteBuffer.allocate(PING_BYTES).put(PING).putInt(connection).array();
  }

  /** Decodes a payload (its remaining bytes); null unless it is a well-formed frame. */
  static Frame parse(ByteBuffer b) {
    int at = b.position();
    int n = b.remaining();
    if (n == DATA_BYTES && b.get(at) == DATA) {
      int conn = b.getInt(at + 1);
      long seq = b.getLong(at + 5);
      int attempt = b.get(at + 13);
      return conn >= 0 && seq >= 0 && attempt >= 0 && attempt <= MAX_ATTEMPT
          ? new Frame(DATA, conn, seq, attempt) : null;
    }
    if (n == PING_BYTES && b.get(at) == PING) {
      int conn = b.getInt(at + 1);
      return conn >= 0 ? new Frame(PING, conn, 0, 0) : null;
    }
    return null;
  }
}
