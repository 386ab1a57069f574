package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VerdictTest {
  private static final long MIB = 1 << 20;
  private static final Tally CLIENTS = new Tally(500, 500, 0, 0, 0, 0, 37, 0, 0, 12);
  private static final ServerLedger.Counts SERVER = new ServerLedger.Counts(537, 500, 0, 0, 0, 0, 0, 40);
  private static final Optional<Verdict.SocketCount> NO_LEAK = Optional.of(new Verdict.SocketCount(3, 3));
  private static final Optional<Verdict.Baselines> HELD =
      Optional.of(new Verdict.Baselines(20, 20, 100 * MIB, 104 * MIB));

  /** As the demo judges: sockets, blackhole detection, no thread or heap baselines. */
  private static Verdict demo(Tally clients, ServerLedger.Counts server, long hung,
      Optional<Verdict.SocketCount> sockets) {
    return new Verdict(9, 8, clients, server, hung, sockets, Optional.empty(),
        Optional.of(Duration.ofMillis(1040)), 8);
  }

  /** As the chaos soak judges: sockets, threads and heap. */
  private static Verdict chaos(Tally clients, Optional<Verdict.SocketCount> sockets,
      Optional<Verdict.Baselines> baselines) {
    return new Verdict(9, 8, clients, SERVER, 0, sockets, baselines, Optional.empty(), 0);
  }

  @Test
  void theDemoTablePassesWhenEveryInvariantHolds() {
    Verdict v = demo(CLIENTS, SERVER, 0, NO_LEAK);
    assertThat(v.passed()).isTrue();
    assertThat(v.table()).containsExactly(
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
      "corrupt frames", "hung futures", "stale generation"})
  void eachInvariantAloneFailsTheDemoTable(String invariant) {
    Tally c = CLIENTS;
    ServerLedger.Counts s = SERVER;
    Optional<Verdict.SocketCount> sockets = NO_LEAK;
    long hung = 0;
    switch (invariant) {
      case "lost" -> c = new Tally(500, 499, 1, 0, 0, 0, 37, 0, 0, 12);
      case "duplicated" -> s = new ServerLedger.Counts(537, 500, 1, 0, 0, 0, 0, 40);
      case "out of order" -> c = new Tally(500, 500, 0, 0, 1, 0, 37, 0, 0, 12);
      case "double connects" -> s = new ServerLedger.Counts(537, 500, 0, 0, 0, 1, 0, 40);
      case "leaked sockets" -> sockets = Optional.of(new Verdict.SocketCount(3, 4));
      case "corrupt frames" -> s = new ServerLedger.Counts(537, 500, 0, 0, 1, 0, 0, 40);
      case "hung futures" -> hung = 1;
      case "stale generation" -> c = new Tally(500, 500, 0, 0, 0, 0, 37, 0, 1, 12);
      default -> throw new AssertionError(invariant);
    }
    Verdict v = demo(c, s, hung, sockets);
    assertThat(v.passed()).isFalse();
    assertThat(v.table()).filteredOn(l -> l.contains("FAIL")).hasSize(1).first()
        .asString().startsWith("  " + invariant + " ");
    assertThat(v.lines()).last().asString().startsWith("FAIL (seed 9;");
  }

  @Test
  void duplicatesAndDisorderSayWhereTheyWereSeen() {
    Verdict v = demo(new Tally(500, 500, 0, 2, 1, 0, 0, 0, 0, 0),
        new ServerLedger.Counts(500, 500, 3, 4, 0, 0, 0, 10), 0, NO_LEAK);
    assertThat(v.duplicated()).isEqualTo(5);
    assertThat(v.outOfOrder()).isEqualTo(5);
    assertThat(v.table()).contains(
        "  duplicated                      5  FAIL  3 seen by the server, 2 by the clients",
        "  out of order                    5  FAIL  4 seen by the server, 1 by the clients");
  }

  @Test
  void nothingSentOrNothingEchoedIsNotAPass() {
    assertThat(demo(Tally.ZERO, new ServerLedger.Counts(0, 0, 0, 0, 0, 0, 0, 0), 0, NO_LEAK).passed()).isFalse();
    Verdict unanswered = chaos(new Tally(100, 0, 0, 0, 0, 0, 0, 0, 0, 0), NO_LEAK, HELD);
    assertThat(unanswered.passed()).isFalse();
    assertThat(unanswered.lines()).contains("  no frame was sent and echoed: nothing was tested  FAIL");
  }

  @Test
  void socketsThatCannotBeCountedAreShownAsSuch() {
    Verdict v = demo(CLIENTS, SERVER, 0, Optional.empty());
    assertThat(v.passed()).isTrue();
    assertThat(v.table()).anySatisfy(l -> assertThat(l).startsWith("  leaked sockets")
        .contains("n/a", "cannot count sockets here"));
    assertThat(chaos(CLIENTS, Optional.empty(), HELD).lines())
        .contains("  file-descriptor delta: not measured (no /proc/self/fd)");
  }

  @Test
  void fewerSocketsAfterIsNoLeak() {
    assertThat(new Verdict.SocketCount(5, 2).leaked()).isZero();
    assertThat(new Verdict.SocketCount(5, 7).leaked()).isEqualTo(2);
  }

  @Test
  void undetectedBlackholeIsShown() {
    Verdict v = new Verdict(9, 8, CLIENTS, SERVER, 0, NO_LEAK, Optional.empty(), Optional.empty(), 0);
    assertThat(v.table()).anySatisfy(l -> assertThat(l).contains("never", "0/8"));
  }

  @Test
  void theChaosListPassesAndPrintsTheSeed() {
    Verdict v = chaos(CLIENTS, NO_LEAK, HELD);
    assertThat(v.passed()).isTrue();
    assertThat(v.lines()).first().asString()
        .isEqualTo("  frames sent 500, echoed 500, re-sent 37, reconnects 12");
    assertThat(v.lines()).last().asString().startsWith("PASS (seed 9;");
    assertThat(String.join("\n", v.lines())).doesNotContain("FAIL");
  }

  private static final RequestTally REQUESTS =
      new RequestTally(500, 20, 400, 0, 0, 0, 20, 30, 0, 40, 10, 30, 0, 5, null);

  private static Verdict requests(RequestTally r, ServerLedger.Counts server) {
    return new Verdict(9, 8, CLIENTS, server, 0, NO_LEAK, HELD, Optional.empty(), 0,
        Optional.of(r));
  }

  @Test
  void theRequestModeListsRequestsAndItsChecks() {
    ServerLedger.Counts server = new ServerLedger.Counts(470, 470, 0, 0, 0, 0, 0, 40, 35, 0, 3);
    Verdict v = requests(REQUESTS, server);
    assertThat(v.passed()).isTrue();
    assertThat(v.lines()).startsWith(
        "  requests sent 500, replies 400, re-sent 20, handshakes 30, reconnects 12",
        "  failed with a clear error 100: CONNECTION_LOST 20, REQUEST_TIMEOUT 30, QUEUE_FULL 0,"
            + " QUEUE_TIMEOUT 40, CONNECTION_CLOSED at shutdown 10",
        "  (re-sent: made again by the client as new requests after CONNECTION_LOST; late replies,"
            + " handed to no request: 5; HELLOs seen by the server: 35, sockets with a heartbeat"
            + " ping before their HELLO: 3)",
        "  replies to the wrong request   0  ok",
        "  requests hung                  0  ok",
        "  requests lost, no clear error  0  ok",
        "  generations not handshaken     0  ok",
        "  duplicated                     0  ok");
    assertThat(String.join("\n", v.lines())).doesNotContain("FAIL", "frames sent", "lost  ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"wrong", "hung", "unexplained", "client not handshaken",
      "server not handshaken", "no handshake"})
  void eachRequestCheckFailsTheVerdict(String broken) {
    RequestTally r = REQUESTS;
    ServerLedger.Counts server = SERVER;
    String line = switch (broken) {
      case "wrong" -> {
        r = new RequestTally(500, 20, 400, 1, 0, 0, 20, 30, 0, 40, 10, 30, 0, 5, null);
        yield "  replies to the wrong request   1  FAIL";
      }
      case "hung" -> {
        r = new RequestTally(500, 20, 400, 0, 1, 0, 20, 30, 0, 40, 10, 30, 0, 5, null);
        yield "  requests hung                  1  FAIL";
      }
      case "unexplained" -> {
        r = new RequestTally(500, 20, 400, 0, 0, 1, 20, 30, 0, 40, 10, 30, 0, 5, "x: boom");
        yield "  requests lost, no clear error  1  FAIL (first: x: boom)";
      }
      case "client not handshaken" -> {
        r = new RequestTally(500, 20, 400, 0, 0, 0, 20, 30, 0, 40, 10, 30, 1, 5, null);
        yield "  generations not handshaken     1  FAIL (0 server sockets with a request before"
            + " the HELLO, 1 connects before its reply)";
      }
      case "server not handshaken" -> {
        server = new ServerLedger.Counts(537, 500, 0, 0, 0, 0, 0, 40, 35, 2, 0);
        yield "  generations not handshaken     2  FAIL (2 server sockets with a request before"
            + " the HELLO, 0 connects before its reply)";
      }
      default -> {
        r = new RequestTally(500, 20, 400, 0, 0, 0, 20, 30, 0, 40, 10, 0, 0, 5, null);
        yield "  no handshake was answered: nothing was tested  FAIL";
      }
    };
    Verdict v = requests(r, server);
    assertThat(v.passed()).as(broken).isFalse();
    assertThat(v.lines()).contains(line);
    assertThat(v.lines()).last().asString().startsWith("FAIL (seed 9;");
  }

  @Test
  void newThreadsAndAFileDescriptorDeltaFail() {
    Verdict threads = chaos(CLIENTS, NO_LEAK, Optional.of(new Verdict.Baselines(20, 21, MIB, MIB)));
    assertThat(threads.passed()).isFalse();
    assertThat(threads.lines()).contains("  thread delta                   1  FAIL");
    Verdict fds = chaos(CLIENTS, Optional.of(new Verdict.SocketCount(3, 5)), HELD);
    assertThat(fds.passed()).isFalse();
    assertThat(fds.lines()).contains("  file-descriptor delta          2  FAIL");
  }

  @Test
  void theHeapMayGrowFivePercent() {
    assertThat(new Verdict.Baselines(1, 1, 100 * MIB, 105 * MIB).heapHeld()).isTrue();
    Verdict grown = chaos(CLIENTS, NO_LEAK, Optional.of(new Verdict.Baselines(1, 1, 100 * MIB, 106 * MIB)));
    assertThat(grown.passed()).isFalse();
    assertThat(grown.lines()).anyMatch(l -> l.contains("+6.0 %") && l.endsWith("FAIL"));
  }
}
