package io.redial.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The stack budget on a fake clock: a second's burst, then one permit per interval. */
class StackBudgetTest {
  private static final long SECOND = 1_000_000_000L;
  /** Starts near the top of the range, so the budget's arithmetic must survive the wrap. */
  private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - SECOND / 2);

  private int taken(StackBudget budget, int asks) {
    int n = 0;
    for (int i = 0; i < asks; i++) {
      if (budget.tryTake()) {
        n++;
      }
    }
    return n;
  }

  @Test
  void aSecondsWorthAtOnceThenOnePerInterval() {
    StackBudget budget = new StackBudget(4, now::get);

    assertThat(taken(budget, 10)).isEqualTo(4);
    assertThat(budget.denied()).isEqualTo(6);

    now.addAndGet(SECOND / 4 - 1);
    assertThat(budget.tryTake()).as("a quarter second less 1 ns").isFalse();
    now.addAndGet(1);
    assertThat(budget.tryTake()).as("a quarter second").isTrue();
    assertThat(budget.tryTake()).isFalse();
    assertThat(budget.denied()).isEqualTo(8);
  }

  @Test
  void idleTimeRefillsOneSecondsWorthAndNoMore() {
    StackBudget budget = new StackBudget(3, now::get);
    assertThat(taken(budget, 3)).isEqualTo(3);

    now.addAndGet(60 * SECOND);

    assertThat(taken(budget, 100)).isEqualTo(3);
  }

  @Test
  void aSteadyStreamFasterThanTheRateGetsTheRate() {
    StackBudget budget = new StackBudget(1000, now::get);
    int granted = 0;
    // 10 seconds of asking every 100 µs (10 000 a second): the first second's burst, then 1000/s.
    for (int i = 0; i < 100_000; i++) {
      now.addAndGet(100_000);
      if (budget.tryTake()) {
        granted++;
      }
    }
    assertThat(granted).isBetween(10_000, 11_000);
    assertThat(budget.denied()).isEqualTo(100_000 - granted);
  }

  @Test
  void zeroGrantsNothingAndUnlimitedEverything() {
    StackBudget none = new StackBudget(0, now::get);
    StackBudget all = new StackBudget(StackBudget.UNLIMITED, now::get);

    assertThat(taken(none, 5)).isZero();
    assertThat(none.denied()).isEqualTo(5);
    assertThat(taken(all, 5)).isEqualTo(5);
    assertThat(all.denied()).isZero();
    assertThat(none.refusalNote()).isEqualTo(
        "not recorded: stackRate=0 records only the offending call's stack");
    assertThat(new StackBudget(250, now::get).refusalNote()).isEqualTo("not sampled: the agent"
        + " records at most 250 stacks a second and was over that; stackRate=unlimited records"
        + " every one");
  }

  @Test
  void aRateOutOfRangeIsRefusedWithTheAllowedRange() {
    assertThatThrownBy(() -> new StackBudget(-2, now::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stackRate must be 0..1000000 or unlimited (-1), got -2");
    assertThatThrownBy(() -> new StackBudget(1_000_001, now::get))
        .hasMessageContaining("got 1000001");
  }
}
