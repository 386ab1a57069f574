package io.redial.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LedgerTest {
  private static final long MS = 1_000_000L;
  private static final long GRACE = 2_000 * MS;
  private final Ledger ledger = new Ledger(GRACE);

  private static Protocol.Frame data(int conn, long seq, int attempt) {
    return Protocol.parse(Protocol.data(conn, seq, attempt));
  }

  private static Protocol.Frame ping(int conn) {
    return Protocol.parse(Protocol.ping(conn));
  }

  @Test
  void countsDistinctFramesAndRepeatsOfOneAttempt() {
    long s = ledger.opened();
    ledger.frame(s, data(0, 0, 0), 0);
    ledger.frame(s, data(0, 1, 0), 0);
    ledger.frame(s, data(0, 1, 1), 0); // a re-send: a new attempt, not a duplicate
    ledger.frame(s, data(1, 0, 0), 0); // another connection on this socket: corrupt
    assertThat(ledger.counts(0)).isEqualTo(new Ledger.Counts(3, 2, 0, 0, 1, 0, 1, 1));
    ledger.frame(s, data(0, 1, 1), 0);
    long t = ledger.opened();
    ledger.frame(t, data(0, 0, 0), 0);
    assertThat(ledger.counts(0).duplicates()).isEqualTo(2);
  }

  @Test
  void firstAttemptsOutOfOrderOnOneSocketOnly() {
    long a = ledger.opened();
    ledger.frame(a, data(0, 5, 0), 0);
    ledger.frame(a, data(0, 9, 0), 0);
    ledger.frame(a, data(0, 2, 1), 0); // re-sends are not ordered
    ledger.closed(a, 10 * MS);
    long b = ledger.opened();
    ledger.frame(b, data(0, 7, 0), 20 * MS); // a new socket: a gap in the old one was lost
    ledger.frame(b, data(0, 8, 0), 20 * MS);
    assertThat(ledger.counts(30 * MS).outOfOrder()).isZero();
    ledger.frame(b, data(0, 8, 0), 20 * MS);
    ledger.frame(b, data(0, 6, 0), 20 * MS);
    assertThat(ledger.counts(30 * MS).outOfOrder()).isEqualTo(2);
  }

  @Test
  void anOldSocketClosingWithinTheGraceIsNoDoubleConnect() {
    long old = ledger.opened();
    ledger.frame(old, ping(3), 0);
    long fresh = ledger.opened();
    ledger.frame(fresh, data(3, 0, 0), 100 * MS); // its close is still on its way
    ledger.closed(old, 100 * MS + GRACE - 1);
    assertThat(ledger.counts(10 * GRACE).doubleConnects()).isZero();
  }

  @Test
  void twoSocketsOpenLongerThanTheGraceAreADoubleConnect() {
    long old = ledger.opened();
    ledger.frame(old, data(3, 0, 0), 0);
    long fresh = ledger.opened();
    ledger.frame(fresh, ping(3), 100 * MS);
    assertThat(ledger.counts(100 * MS + GRACE).doubleConnects()).isZero(); // not yet
    assertThat(ledger.counts(100 * MS + GRACE + 1).doubleConnects()).isEqualTo(1);
    ledger.closed(old, 100 * MS + GRACE + 5);
    assertThat(ledger.counts(100 * GRACE).doubleConnects()).isEqualTo(1);
  }

  @Test
  void socketsOfDifferentConnectionsNeverConflict() {
    for (int c = 0; c < 5; c++) {
      ledger.frame(ledger.opened(), ping(c), 0);
    }
    assertThat(ledger.counts(100 * GRACE).doubleConnects()).isZero();
    assertThat(ledger.counts(0).openSockets()).isEqualTo(5);
  }

  @Test
  void protocolRoundTripsAndRejectsGarbage() {
    assertThat(data(7, 123_456_789_012L, 3)).isEqualTo(new Protocol.Frame(Protocol.DATA, 7,
        123_456_789_012L, 3));
    assertThat(ping(9)).isEqualTo(new Protocol.Frame(Protocol.PING, 9, 0, 0));
    assertThat(Protocol.parse(new byte[0])).isNull();
    assertThat(Protocol.parse(new byte[] {'D', 0, 0})).isNull();
    assertThat(Protocol.parse(new byte[] {'X', 0, 0, 0, 1})).isNull();
    assertThat(Protocol.parse(new byte[] {'P', (byte) 0x80, 0, 0, 1})).as("negative id").isNull();
  }
}
