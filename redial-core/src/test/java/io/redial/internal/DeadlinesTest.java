package io.redial.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request deadlines in lanes on a manual clock: one timer per timeout, not one per request. */
class DeadlinesTest {
  private final ManualClock clock = new ManualClock();
  private final List<String> expired = new ArrayList<>();
  private final Deadlines<String> deadlines = new Deadlines<>(clock, clock,
      (m, timeout) -> {
        expired.add(m.message + "@" + timeout.toMillis());
        m.future.completeExceptionally(new IllegalStateException("timed out"));
      });

  private Outbound<String> request(String name) {
    return new Outbound<>(name, 1, clock.nanoTime(), true, null, false);
  }

  @Test
  void requestsOfOneTimeoutShareOneTimerAndExpireInOrderAtTheirOwnDeadline() {
    Outbound<String> a = request("a");
    deadlines.add(a, Duration.ofMillis(100));
    clock.advance(Duration.ofMillis(10));
    Outbound<String> b = request("b");
    deadlines.add(b, Duration.ofMillis(100));
    Outbound<String> c = request("c");
    deadlines.add(c, Duration.ofMillis(100));
    assertThat(clock.pending()).as("one timer, for the oldest").containsExactly(Duration.ofMillis(90));

    clock.advance(Duration.ofMillis(89));
    assertThat(expired).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(expired).containsExactly("a@100");
    assertThat(clock.pending()).as("re-armed for the next").containsExactly(Duration.ofMillis(10));
    clock.advance(Duration.ofMillis(9));
    assertThat(expired).containsExactly("a@100");
    clock.advance(Duration.ofMillis(1));
    assertThat(expired).containsExactly("a@100", "b@100", "c@100");
    assertThat(clock.pending()).as("no timer for an empty lane").isEmpty();
  }

  @Test
  void answeredRequestsNeverExpireAndLeaveTheLane() {
    Outbound<String> a = request("a");
    Outbound<String> b = request("b");
    deadlines.add(a, Duration.ofSeconds(1));
    deadlines.add(b, Duration.ofSeconds(1));
    a.future.complete("reply");
    clock.advance(Duration.ofSeconds(1));
    assertThat(expired).containsExactly("b@1000");
    assertThat(deadlines.size()).isZero();
  }

  @Test
  void aLaneOfAnsweredRequestsIsCompactedSoItStaysAsLargeAsWhatWaits() {
    Outbound<String> slow = request("slow"); // never answered in this test: it holds the head
    deadlines.add(slow, Duration.ofSeconds(30));
    for (int i = 0; i < 100_000; i++) {
      Outbound<String> r = request("r" + i);
      deadlines.add(r, Duration.ofSeconds(30));
      r.future.complete("reply");
    }
    assertThat(deadlines.size()).as("the unanswered head and the newest few").isLessThan(300);
    clock.advance(Duration.ofSeconds(30));
    assertThat(expired).containsExactly("slow@30000");
  }

  @Test
  void eachDistinctTimeoutHasItsLaneAndMoreThanTheLanesGetATimerEach() {
    for (int i = 1; i <= Deadlines.LANES + 2; i++) {
      deadlines.add(request("t" + i), Duration.ofMillis(i * 10L));
    }
    assertThat(clock.pending()).hasSize(Deadlines.LANES + 2);
    clock.advance(Duration.ofMillis(60));
    assertThat(expired).containsExactly("t1@10", "t2@20", "t3@30", "t4@40", "t5@50", "t6@60");
  }

  @Test
  void aRequestArmedLateStillCountsFromItsCreation() {
    Outbound<String> a = request("a");
    clock.advance(Duration.ofMillis(70)); // it waited on its way to the loop
    deadlines.add(a, Duration.ofMillis(100));
    assertThat(clock.pending()).containsExactly(Duration.ofMillis(30));
    Outbound<String> old = request("old");
    clock.advance(Duration.ofMillis(200));
    deadlines.add(old, Duration.ofMillis(100)); // already past: due at once
    clock.advance(Duration.ZERO);
    assertThat(expired).containsExactly("a@100", "old@100");
  }

  @Test
  void cancelAllStopsEveryLaneTimer() {
    deadlines.add(request("a"), Duration.ofSeconds(1));
    deadlines.add(request("b"), Duration.ofSeconds(2));
    deadlines.cancelAll();
    assertThat(clock.pending()).isEmpty();
    clock.advance(Duration.ofSeconds(5));
    assertThat(expired).isEmpty();
  }
}
