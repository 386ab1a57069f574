package io.redial.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VerdictTest {
  private static final DemoClient.Tally CLIENTS = new DemoClient.Tally(500, 500, 0, 0, 0, 0, 37, 0, 12);
  private static final Ledger.Counts SERVER = new Ledger.Counts(537, 500, 0, 0, 0, 0, 0, 40);
  private static final Optional<Verdict.SocketCount> NO_LEAK = Optional.of(new Verdict.SocketCount(3, 3));

  private static Verdict verdict(DemoClient.Tally clients, Ledger.Counts server,
      Optional<Verdict.SocketCount> sockets) {
    return Verdict.of(clients, server, sockets, Optional.of(Duration.ofMillis(1040)), 8, 8);
  }

  @Test
  void passesWhenEveryInvariantHolds() {
    Verdict v = verdict(CLIENTS, SERVER, NO_LEAK);
    assertThat(v.passed()).isTrue();
    assertThat(v.lines()).containsExactly(
        "  frames sent                   500",
        "  frames echoed                 500        37 re-sends (written to a socket that died, or dropped)",
        "  lost                            0  ok",
        "  duplicated                      0  ok",
        "  out of order                    0  ok",
        "  double connects                 0  ok",
        "  leaked sockets                  0  ok    open sockets: 3 before, 3 after",
        "  blackhole detected in      1.04 s        longest of 8/8 connections (heartbeat miss)",
        "  reconnects                     12");
  }

  @ParameterizedTest
  @ValueSource(strings = {"lost", "duplicated", "out of order", "double connects", "leaked sockets",
      "corrupt frames"})
  void eachInvariantAloneFailsTheVerdict(String invariant) {
    DemoClient.Tally c = CLIENTS;
    Ledger.Counts s = SERVER;
    Optional<Verdict.SocketCount> sockets = NO_LEAK;
    switch (invariant) {
      case "lost" -> c = new DemoClient.Tally(500, 499, 1, 0, 0, 0, 37, 0, 12);
      case "duplicated" -> s = new Ledger.Counts(537, 500, 1, 0, 0, 0, 0, 40);
      case "out of order" -> c = new DemoClient.Tally(500, 500, 0, 0, 1, 0, 37, 0, 12);
      case "double connects" -> s = new Ledger.Counts(537, 500, 0, 0, 0, 1, 0, 40);
      case "leaked sockets" -> sockets = Optional.of(new Verdict.SocketCount(3, 4));
      case "corrupt frames" -> s = new Ledger.Counts(537, 500, 0, 0, 1, 0, 0, 40);
      default -> throw new AssertionError(invariant);
    }
    Verdict v = verdict(c, s, sockets);
    assertThat(v.passed()).isFalse();
    assertThat(v.lines()).filteredOn(l -> l.contains("FAIL")).hasSize(1).first()
        .asString().startsWith("  " + invariant + " ");
  }

  @Test
  void duplicatesAndDisorderSayWhereTheyWereSeen() {
    Verdict v = verdict(new DemoClient.Tally(500, 500, 0, 2, 1, 0, 0, 0, 0),
        new Ledger.Counts(500, 500, 3, 4, 0, 0, 0, 10), NO_LEAK);
    assertThat(v.duplicated()).isEqualTo(5);
    assertThat(v.outOfOrder()).isEqualTo(5);
    assertThat(v.lines()).contains(
        "  duplicated                      5  FAIL  3 seen by the server, 2 by the clients",
        "  out of order                    5  FAIL  4 seen by the server, 1 by the clients");
  }

  @Test
  void nothingSentIsNotAPass() {
    Verdict v = verdict(DemoClient.Tally.ZERO, new Ledger.Counts(0, 0, 0, 0, 0, 0, 0, 0), NO_LEAK);
    assertThat(v.passed()).isFalse();
  }

  @Test
  void socketsThatCannotBeCountedAreShownAsSuch() {
    Verdict v = verdict(CLIENTS, SERVER, Optional.empty());
    assertThat(v.passed()).isTrue();
    assertThat(v.lines()).anySatisfy(l -> assertThat(l).startsWith("  leaked sockets")
        .contains("n/a", "cannot count sockets here"));
  }

  @Test
  void fewerSocketsAfterIsNoLeak() {
    assertThat(new Verdict.SocketCount(5, 2).leaked()).isZero();
    assertThat(new Verdict.SocketCount(5, 7).leaked()).isEqualTo(2);
  }

  @Test
  void undetectedBlackholeIsShown() {
    Verdict v = Verdict.of(CLIENTS, SERVER, NO_LEAK, Optional.empty(), 0, 8);
    assertThat(v.lines()).anySatisfy(l -> assertThat(l).contains("never", "0/8"));
  }
}
