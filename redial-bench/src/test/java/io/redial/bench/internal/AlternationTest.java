package io.redial.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlternationTest {
  private static final List<String> PEERS = List.of("raw", "reactor", "vertx", "handrolled");

  @Test
  void redialFirstPutsRedialBeforeEachPeer() {
    Alternation turns = new Alternation("redial", PEERS);
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Alternation.Turn t = turns.next();
      assertThat(t).isEqualTo(Alternation.turn("redial", PEERS, i)); // the suite's mapping agrees
      seen.add(t.impl() + "/" + t.peer());
    }
    assertThat(seen).containsExactly("redial/raw", "raw/raw", "redial/reactor", "reactor/reactor",
        "redial/vertx", "vertx/vertx", "redial/handrolled", "handrolled/handrolled",
        "redial/raw", "raw/raw");
  }

  @Test
  void peersFirstPutsEachPeerBeforeItsRedialIteration() {
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Alternation.Turn t = Alternation.turn("peers", PEERS, i);
      seen.add(t.impl() + "/" + t.peer());
    }
    assertThat(seen).containsExactly("raw/raw", "redial/raw", "reactor/reactor",
        "redial/reactor", "vertx/vertx", "redial/vertx", "handrolled/handrolled",
        "redial/handrolled");
  }

  @Test
  void withOnePeerItIsThePlainAlternation() {
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      seen.add(Alternation.turn("peers", List.of("raw"), i).impl());
    }
    assertThat(seen).containsExactly("raw", "redial", "raw", "redial");
    assertThat(Alternation.cycle(List.of("raw"))).isEqualTo(2);
    assertThat(Alternation.cycle(PEERS)).isEqualTo(8);
  }

  @Test
  void everyPeerGetsAsManyPairsPerCycleAndEachPairIsAdjacent() {
    for (String first : List.of("redial", "peers")) {
      for (int start = 0; start < 16; start += 2) {
        Alternation.Turn a = Alternation.turn(first, PEERS, start);
        Alternation.Turn b = Alternation.turn(first, PEERS, start + 1);
        assertThat(a.peer()).isEqualTo(b.peer());
        assertThat(List.of(a.impl(), b.impl())).containsExactlyInAnyOrder("redial", a.peer());
      }
    }
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> new Alternation("netty", PEERS))
        .hasMessageContaining("first").hasMessageContaining("'netty'").hasMessageContaining("peers");
    assertThatThrownBy(() -> Alternation.turn("redial", PEERS, -1))
        .hasMessageContaining("index").hasMessageContaining("-1");
    assertThatThrownBy(() -> new Alternation("redial", List.of()))
        .hasMessageContaining("peers").hasMessageContaining("[]");
    assertThatThrownBy(() -> new Alternation("redial", List.of("raw", "redial")))
        .hasMessageContaining("peers").hasMessageContaining("redial");
  }
}
