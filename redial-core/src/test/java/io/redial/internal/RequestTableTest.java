package io.redial.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.internal.RequestTable.Outcome;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** How replies find their requests, and why a late reply can never reach a later request. */
class RequestTableTest {
  private static Outbound<String> request(String m, Object key) {
    return new Outbound<>(m, m.length(), 0, true, key, false);
  }

  @Test
  void fifoAnswersTheOldestAndATimedOutSlotConsumesItsLateReply() {
    RequestTable<String> table = new RequestTable<>(null);
    Outbound<String> a = request("a", null);
    Outbound<String> b = request("b", null);
    table.register(a);
    table.register(b);
    // a's deadline passes: its future fails, its slot stays
    a.future.completeExceptionally(new IllegalStateException("REQUEST_TIMEOUT"));
    table.expired(a);
    assertThat(table.match("late reply of a")).isEqualTo(Outcome.CONSUMED);
    assertThat(table.matched()).isSameAs(a);
    assertThat(table.match("reply of b")).isEqualTo(Outcome.ANSWERS);
    assertThat(table.matched()).isSameAs(b);
    assertThat(table.match("unsolicited")).isEqualTo(Outcome.NONE);
  }

  @Test
  void aRequestWhoseBytesNeverLeftIsTakenOutAgain() {
    RequestTable<String> table = new RequestTable<>(null);
    Outbound<String> a = request("a", null);
    Outbound<String> b = request("b", null);
    table.register(a);
    table.register(b);
    table.unregister(b); // requeued after its channel died mid-write
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.drain()).containsExactly(a);
    assertThat(table.size()).isZero();
  }

  @Test
  void byKeyMatchesByKeyAndAnExpiredKeyAnswersNothing() {
    Function<String, String> key = m -> m.substring(0, 1);
    RequestTable<String> table = new RequestTable<>(key);
    Outbound<String> a = request("a?", "a");
    Outbound<String> b = request("b?", "b");
    assertThat(table.register(a)).isTrue();
    assertThat(table.register(b)).isTrue();
    assertThat(table.register(request("a!", "a"))).as("a key already waiting").isFalse();
    assertThat(table.match("b:reply")).isEqualTo(Outcome.ANSWERS);
    assertThat(table.matched()).isSameAs(b);
    a.future.completeExceptionally(new IllegalStateException("REQUEST_TIMEOUT"));
    table.expired(a);
    assertThat(table.match("a:late")).isEqualTo(Outcome.NONE);
    assertThat(table.size()).isZero();
  }

  @Test
  void theChannelsDeathReturnsOnlyRequestsStillWaiting() {
    RequestTable<String> table = new RequestTable<>(null);
    Outbound<String> done = request("done", null);
    Outbound<String> waiting = request("waiting", null);
    Outbound<String> ping = new Outbound<>("ping", 4, 0, true, null, true);
    table.register(done);
    table.register(ping);
    table.register(waiting);
    done.future.completeExceptionally(new IllegalStateException("timed out"));
    assertThat(table.drain()).containsExactly(ping, waiting);
  }
}
