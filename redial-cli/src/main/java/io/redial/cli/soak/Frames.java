package io.redial.cli.soak;

import java.nio.ByteBuffer;

/**
 * The soak's frames (payloads of Redial's length-prefixed framing). Every frame names its managed
 * connection, so the server knows which sockets belong to which connection from the first frame
 * of each socket, the heartbeat's ping included:
 *
 * <ul>
 *   <li>data: {@code 'D'}, connection index (int), sequence number (long), attempt (byte; 0 for
 *       the first send, n for the n-th re-send)
 *   <li>ping: {@code 'P'}, connection index (int); the heartbeat's ping, echoed like any frame
 *   <li>hello: {@code 'H'}, connection index (int), generation (long); the request mode's
 *       handshake on every new channel ({@link RequestClient}), echoed like any frame
 * </ul>
 */
final class Frames {
  static final byte DATA = 'D';
  static final byte PING = 'P';
  static final byte HELLO = 'H';
  static final int DATA_BYTES = 1 + 4 + 8 + 1;
  static final int PING_BYTES = 1 + 4;
  static final int HELLO_BYTES = 1 + 4 + 8;
  /** The largest payload: the framing's and the server's limit, so anything bigger is refused unread. */
  static final int MAX_FRAME_BYTES = DATA_BYTES;
  /** Attempts fit in a byte; a frame re-sent more often than this is given up (counted lost). */
  static final int MAX_ATTEMPT = 127;
  /** A frame whose sequence number is above this is corrupt. */
  static final int MAX_SEQ = Integer.MAX_VALUE - 1;
  /** A frame naming a connection at or above this is corrupt. */
  static final int MAX_CONNECTIONS = 1_000_000;

  /**
   * A decoded frame; {@code seq} and {@code attempt} are 0 for pings; a hello's {@code seq} is
   * its generation.
   */
  record Frame(byte type, int connection, long seq, int attempt) {
    boolean isPing() {
      return type == PING;
    }

    boolean isHello() {
      return type == HELLO;
    }
  }

  private Frames() {}

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

  /** The request mode's handshake: "HELLO, I am connection {@code connection}, generation {@code generation}". */
  static byte[] hello(int connection, long generation) {
    return ByteBuffer.allocate(HELLO_BYTES).put(HELLO).putInt(connection).putLong(generation)
        .array();
  }

  /** Decodes a payload (its remaining bytes, left unread); null unless it is a well-formed frame. */
  static Frame parse(ByteBuffer b) {
    int at = b.position();
    int n = b.remaining();
    if (n == DATA_BYTES && b.get(at) == DATA) {
      int conn = b.getInt(at + 1);
      long seq = b.getLong(at + 5);
      int attempt = b.get(at + 13);
      return conn >= 0 && conn < MAX_CONNECTIONS && seq >= 0 && seq <= MAX_SEQ && attempt >= 0
          ? new Frame(DATA, conn, seq, attempt) : null;
    }
    if (n == HELLO_BYTES && b.get(at) == HELLO) {
      int conn = b.getInt(at + 1);
      long gen = b.getLong(at + 5);
      return conn >= 0 && conn < MAX_CONNECTIONS && gen >= 0 ? new Frame(HELLO, conn, gen, 0) : null;
    }
    if (n == PING_BYTES && b.get(at) == PING) {
      int conn = b.getInt(at + 1);
      return conn >= 0 && conn < MAX_CONNECTIONS ? new Frame(PING, conn, 0, 0) : null;
    }
    return null;
  }

  static Frame parse(byte[] payload) {
    return parse(ByteBuffer.wrap(payload));
  }
}
