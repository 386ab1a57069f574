package io.redial.internal;

import static io.redial.ConnectionState.BACKOFF;
import static io.redial.ConnectionState.CLOSED;
import static io.redial.ConnectionState.CLOSING;
import static io.redial.ConnectionState.CONNECTED;
import static io.redial.ConnectionState.CONNECTING;
import static io.redial.ConnectionState.IDLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.redial.Backoff;
import io.redial.ConnectionEvent;
import io.redial.FixedRandom;
import io.redial.RedialException;
import io.redial.internal.Lifecycle.Action;
import io.redial.internal.Lifecycle.AttemptFailed;
import io.redial.internal.Lifecycle.AttemptSucceeded;
import io.redial.internal.Lifecycle.BackoffElapsed;
import io.redial.internal.Lifecycle.ChannelClosed;
import io.redial.internal.Lifecycle.ChannelLost;
import io.redial.internal.Lifecycle.CloseChannel;
import io.redial.internal.Lifecycle.CloseRequested;
import io.redial.internal.Lifecycle.ConnectRequested;
import io.redial.internal.Lifecycle.Drain;
import io.redial.internal.Lifecycle.Drained;
import io.redial.internal.Lifecycle.Emit;
import io.redial.internal.Lifecycle.FlushQueue;
import io.redial.internal.Lifecycle.HeartbeatMissed;
import io.redial.internal.Lifecycle.OpenChannel;
import io.redial.internal.Lifecycle.ResetBackoff;
import io.redial.internal.Lifecycle.ScheduleRetry;
import io.redial.internal.Lifecycle.StableElapsed;
import io.redial.internal.Lifecycle.Terminate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  static final Backoff BACKOFF_100MS_X2 =
      Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(10), 2.0, 0.2);

  static Lifecycle lifecycle(int endpoints, int maxAttempts) {
    List<Endpoint> eps =
        IntStream.range(0, endpoints).mapToObj(i -> new Endpoint("h" + i, 1000 + i, null)).toList();
    // 0.5 means "no jitter": delays are exact
    return new Lifecycle("t", eps, BACKOFF_100MS_X2, new FixedRandom(0.5), maxAttempts,
        Duration.ofSeconds(5));
  }

  static RedialException refused() {
    return RedialException.of("WSAECONNREFUSED", "refused");
  }

  static <T extends Action> List<T> only(List<Action> actions, Class<T> type) {
    return actions.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static List<ConnectionEvent> events(List<Action> actions) {
    return only(actions, Emit.class).stream().map(Emit::event).toList();
  }

  /** Fails the attempt on channel gen the way the driver reports it: failure, then the close. */
  static List<Action> fail(Lifecycle lc, long gen) {
    List<Action> a = new java.util.ArrayList<>(lc.handle(new AttemptFailed(gen, refused())));
    assertThat(only(a, CloseChannel.class)).extracting(CloseChannel::gen).containsExactly(gen);
    a.addAll(lc.handle(new ChannelClosed(gen)));
    return a;
  }

  @Test
  void happyPathOpensOneChannelAndFlushesOnConnect() {
    Lifecycle lc = lifecycle(1, 0);
    assertThat(lc.state()).isEqualTo(IDLE);
    List<Action> a = lc.handle(new ConnectRequested());
    assertThat(lc.state()).isEqualTo(CONNECTING);
    assertThat(only(a, OpenChannel.class)).containsExactly(new OpenChannel(1, 0, 1));
    assertThat(lc.channelOpen()).isTrue();

    a = lc.handle(new AttemptSucceeded(1));
    assertThat(lc.state()).isEqualTo(CONNECTED);
    assertThat(only(a, FlushQueue.class)).containsExactly(new FlushQueue(1));
    assertThat(events(a)).containsExactly(
        new ConnectionEvent.StateChanged("t", CONNECTING, CONNECTED, 1, null));
    assertThat(lc.connects()).isEqualTo(1);
  }

  @Test
  void connectIsIdempotentInEveryLiveState() {
    Lifecycle lc = lifecycle(1, 0);
    lc.handle(new ConnectRequested());
    assertThat(lc.handle(new ConnectRequested())).isEmpty(); // CONNECTING
    lc.handle(new AttemptSucceeded(1));
    assertThat(lc.handle(new ConnectRequested())).isEmpty(); // CONNECTED
    assertThat(lc.generation()).isEqualTo(1);
  }

  @Test
  void lostConnectionClosesFirstThenBacksOffThenOpensAFreshChannel() {
    Lifecycle lc = lifecycle(1, 0);
    lc.handle(new ConnectRequested());
    lc.handle(new AttemptSucceeded(1));
    RedialException reset = RedialException.of("WSAECONNRESET", "reset");
    List<Action> a = lc.handle(new ChannelLost(1, reset));
    // leaving CONNECTED closes that channel first: still CONNECTED until the close completes
    assertThat(only(a, CloseChannel.class)).containsExactly(new CloseChannel(1, reset));
    assertThat(lc.state()).isEqualTo(CONNECTED);

    a = lc.handle(new ChannelClosed(1));
    assertThat(lc.state()).isEqualTo(BACKOFF);
    assertThat(only(a, ScheduleRetry.class)).containsExactly(new ScheduleRetry(1, 100_000_000L));
    assertThat(events(a)).containsExactly(
        new ConnectionEvent.StateChanged("t", CONNECTED, BACKOFF, 1, reset));
    assertThat(lc.disconnects()).isEqualTo(1);

    a = lc.handle(new BackoffElapsed(1));
    assertThat(lc.state()).isEqualTo(CONNECTING);
    assertThat(only(a, OpenChannel.class)).containsExactly(new OpenChannel(2, 0, 1));
  }

  @Test
  void orderlyCloseByThePeerIsALossWithAClearCause() {
    Lifecycle lc = lifecycle(1, 0);
    lc.handle(new ConnectRequested());
    lc.handle(new AttemptSucceeded(1));
    List<Action> a = lc.handle(new ChannelClosed(1));
    var changed = (ConnectionEvent.StateChanged) events(a).get(0);
    assertThat(changed.to()).isEqualTo(BACKOFF);
    assertThat(changed.cause().error().name()).isEqualTo("CHANNEL_CLOSED");
    assertThat(changed.cause()).hasMessageContaining("peer closed");
  }

  @Test
  void exactBackoffDelaysGrowPerFailedSweep() {
    Lifecycle lc = lifecycle(1, 0);
    lc.handle(new ConnectRequested());
    long[] expected = {100, 200, 400, 800, 1600};
    for (int i = 0; i < expected.length; i++) {
      List<Action> a = fail(lc, lc.generation());
      assertThat(lc.state()).isEqualTo(BACKOFF);
      assertThat(only(a, ScheduleRetry.class).get(0).delayNanos())
          .as("delay after sweep %d", i + 1).isEqualTo(expected[i] * 1_000_000L);
      var failed = (ConnectionEvent.AttemptFailed) events(a).get(0);
      assertThat(failed.nextDelay()).contains(Duration.ofMillis(expected[i]));
      assertThat(failed.attempt()).isEqualTo(i + 1);
      lc.handle(new BackoffElapsed(only(a, ScheduleRetry.class).get(0).seq()));
    }
  }

  @Test
  void aFullSweepOverThreeEndpointsComesBeforeTheDelayGrows() {
    Lifecycle lc = lifecycle(3, 0);
    List<Action> a = lc.handle(new ConnectRequested());
    assertThat(only(a, OpenChannel.class).get(0).endpointIndex()).isZero();

    a = fail(lc, 1);
    assertThat(lc.state()).isEqualTo(CONNECTING);
    assertThat(only(a, ScheduleRetry.class)).isEmpty();
    assertThat(only(a, OpenChannel.class)).containsExactly(new OpenChannel(2, 1, 2));
    assertThat(((ConnectionEvent.AttemptFailed) events(a).get(0)).nextDelay())
        .contains(Duration.ZERO);

    a = fail(lc, 2);
    assertThat(only(a, OpenChannel.class)).containsExactly(new OpenChannel(3, 2, 3));

    a = fail(lc, 3);
    assertThat(lc.state()).isEqualTo(BACKOFF);
    assertThat(only(a, OpenChannel.class)).isEmpty();
    assertThat(only(a, ScheduleRetry.class).get(0).delayNanos()).isEqualTo(100_000_000L);

    // second sweep wraps around to endpoint 0; the delay grows only after it fails as a whole
    a = lc.handle(new BackoffElapsed(only(a, ScheduleRetry.class).get(0).seq()));
    assertThat(only(a, OpenChannel.class)).containsExactly(new OpenChannel(4, 0, 4));
    fail(lc, 4);
    fail(lc, 5);
    a = fail(lc, 6);
    assertThat(only(a, ScheduleRetry.class).get(0).delayNanos()).isEqualTo(200_000_000L);
  }

  @Test
  void failoverGoesToTheNextEndpointAndStaysWhereItConnected() {
    Lifecycle lc = lifecycle(2, 0);
    lc.handle(new ConnectRequested());
    fail(lc, 1);
    lc.handle(new AttemptSucceeded(2)); // endpoint 1
    lc.handle(new ChannelLost(2, refused()));
    List<Action> a = lc.handle(new ChannelClosed(2));
    a = lc.handle(new BackoffElapsed(only(a, ScheduleRetry.class).get(0).seq()));
    assertThat(only(a, OpenChannel.class)).containsExactly(new OpenChannel(3, 1, 1));
  }

  @Test
  void maxAttemptsSpentGoesStraightToClosedWithTheLastCause() {
    Lifecycle lc = lifecycle(1, 3);
    lc.handle(new ConnectRequested());
    List<Action> a = null;
    for (int i = 1; i <= 3; i++) {
      a = fail(lc, lc.generation());
      if (i < 3) {
        lc.handle(new BackoffElapsed(only(a, ScheduleRetry.class).get(0).seq()));
      }
    }
    assertThat(lc.state()).isEqualTo(CLOSED);
    assertThat(lc.channelOpen()).isFalse();
    Terminate t = only(a, Terminate.class).get(0);
    assertThat(t.cause().error().name()).isEqualTo("WSAECONNREFUSED");
    assertThat(t.cause()).hasMessageContaining("gave up after 3 failed attempts")
        .hasMessageContaining("maxAttempts 3");
    assertThat(events(a)).last().isEqualTo(
        new ConnectionEvent.StateChanged("t", CONNECTING, CLOSED, 3, t.cause()));
    var lastFailure = (ConnectionEvent.AttemptFailed) events(a).get(0);
    assertThat(lastFailure.nextDelay()).isEqualTo(Optional.empty());
    // CLOSED is terminal
    assertThat(lc.handle(new ConnectRequested())).isEmpty();
    assertThat(lc.handle(new ResetBackoff())).isEmpty();
    assertThat(lc.handle(new CloseRequested(refused()))).isEmpty();
  }

  @Test
  void eventsOfAnOlderGenerationChangeNothing() {
    Lifecycle lc = lifecycle(1, 0);
    lc.handle(new ConnectRequested());
    lc.handle(new AttemptSucceeded(1));
    lc.handle(new ChannelLost(1, refused()));
    List<Action> a = lc.handle(new ChannelClosed(1));
    lc.handle(new BackoffElapsed(only(a, ScheduleRetry.class).get(0).seq()));
    lc.handle(new AttemptSucceeded(2));
    assertThat(lc.state()).isEqualTo(CONNECTED);

    // late reports about generation 1
    assertThat(lc.handle(new ChannelLost(1, refused()))).isEmpty();
    assertThat(lc.handle(new ChannelClosed(1))).isEmpty();
    assertThat(lc.handle(new AttemptSucceeded(1))).isEmpty();
    assertThat(lc.handle(new AttemptFailed(1, refused()))).isEmpty();
    assertThat(lc.handle(new HeartbeatMissed(1))).isEmpty();
    assertThat(lc.handle(new StableElapsed(1))).isEmpty();
    assertThat(lc.handle(new Drained(1))).isEmpty();
    // and a stale retry timer
    assertThat(lc.handle(new BackoffElapsed(0))).isEmpty();
    assertThat(lc.state()).isEqualTo(CONNECTED);
    assertThat(lc.generation()).isEqualTo(2);
    assertThat(lc.channelOpen()).isTrue();
  }

  @Test
  void aLateSuccessAfterTheTimeoutCannotConnect() {
    Lifecycle lc = lifecycle(1, 0);
    lc.handle(new ConnectRequested());
    lc.handle(new AttemptFailed(1, RedialException.of("CONNECT_TIMEOUT", "timeout")));
    assertThat(lc.handle(new AttemptSucceeded(1))).isEmpty();
    assertThat(lc.state()).isEqualTo(CONNECTING);
    List<Action> a = lc.handle(new ChannelClosed(1));
    assertThat(lc.state()).isEqualTo(BACKOFF);
    var failed = (ConnectionEvent.AttemptFailed) events(a).get(0);
    assertThat(failed.error().error().name()).isEqualTo("CONNECT_TIMEOUT");
  }

  @Test
  void heartbeatMissedEmitsTheEventAndReplacesTheChannel() {
    Lifecycle lc = lifecycle(1, 0);
    lc.handle(new ConnectRequested());
    lc.handle(new AttemptSucceeded(1));
    List<Action> a = lc.handle(new HeartbeatMissed(1));
    assertThat(events(a)).containsExactly(new ConnectionEvent.HeartbeatMissed("t", 1));
    assertThat(only(a, CloseChannel.class)).hasSize(1);
    a = lc.handle(new ChannelClosed(1));
    var changed = (ConnectionEvent.StateChanged) events(a).get(0);
    assertThat(changed.cause().error().name()).isEqualTo("HEARTBEAT_TIMEOUT");
  }

  @Test
  void stableConnectionResetsTheBackoff() {
    Lifecycle lc = lifecycle(1, 0);
    lc.handle(new ConnectRequested());
    for (int i = 0; i < 3; i++) { // three flaps: the delay keeps growing
      long gen = lc.generation();
      lc.handle(new AttemptSucceeded(gen));
      lc.handle(new ChannelLost(gen, refused()));
      List<Action> a = lc.handle(new ChannelClosed(gen));
      assertThat(only(a, ScheduleRetry.class).get(0).delayNanos())
          .isEqualTo((100L << i) * 1_000_000L);
      lc.handle(new BackoffElapsed(only(a, ScheduleRetry.class).get(0).seq()));
    }
    long gen = lc.generation();
    lc.handle(new AttemptSucceeded(gen));
    lc.handle(new StableElapsed(gen));
    lc.handle(new ChannelLost(gen, refused()));
    List<Action> a = lc.handle(new ChannelClosed(gen));
    assertThat(only(a, ScheduleRetry.class).get(0).delayNanos()).isEqualTo(100_000_000L);
  }

  @Test
  void resetBackoffRetriesAtOnceAndInvalidatesTheTimer() {
    Lifecycle lc = lifecycle(1, 0);
    lc.handle(new ConnectRequested());
    List<Action> a = fail(lc, 1);
    long seq = only(a, ScheduleRetry.class).get(0).seq();
    a = lc.handle(new ResetBackoff());
    assertThat(lc.state()).isEqualTo(CONNECTING);
    assertThat(only(a, OpenChannel.class)).containsExactly(new OpenChannel(2, 0, 2));
    assertThat(lc.handle(new BackoffElapsed(seq))).isEmpty(); // the old timer is stale
  }

  @Test
  void closeInEachState() {
    // IDLE: straight through CLOSING to CLOSED
    Lifecycle idle = lifecycle(1, 0);
    List<Action> a = idle.handle(new CloseRequested(refused()));
    assertThat(events(a)).extracting(e -> ((ConnectionEvent.StateChanged) e).to())
        .containsExactly(CLOSING, CLOSED);
    assertThat(only(a, Terminate.class)).hasSize(1);

    // CONNECTING: closes the channel, CLOSED only once it is closed
    Lifecycle connecting = lifecycle(1, 0);
    connecting.handle(new ConnectRequested());
    a = connecting.handle(new CloseRequested(refused()));
    assertThat(connecting.state()).isEqualTo(CLOSING);
    assertThat(only(a, CloseChannel.class)).hasSize(1);
    assertThat(connecting.handle(new AttemptSucceeded(1))).isEmpty();
    a = connecting.handle(new ChannelClosed(1));
    assertThat(connecting.state()).isEqualTo(CLOSED);
    assertThat(only(a, Terminate.class)).hasSize(1);
    assertThat(only(a, OpenChannel.class)).isEmpty();

    // CONNECTED: drains first, then closes
    Lifecycle connected = lifecycle(1, 0);
    connected.handle(new ConnectRequested());
    connected.handle(new AttemptSucceeded(1));
    a = connected.handle(new CloseRequested(refused()));
    assertThat(only(a, Drain.class)).containsExactly(new Drain(1));
    assertThat(only(a, CloseChannel.class)).isEmpty();
    a = connected.handle(new Drained(1));
    assertThat(only(a, CloseChannel.class)).hasSize(1);
    connected.handle(new ChannelClosed(1));
    assertThat(connected.state()).isEqualTo(CLOSED);

    // BACKOFF: cancels the retry
    Lifecycle backoff = lifecycle(1, 0);
    backoff.handle(new ConnectRequested());
    long seq = only(fail(backoff, 1), ScheduleRetry.class).get(0).seq();
    backoff.handle(new CloseRequested(refused()));
    assertThat(backoff.state()).isEqualTo(CLOSED);
    assertThat(backoff.handle(new BackoffElapsed(seq))).isEmpty();

    // a second close is a no-op
    assertThat(backoff.handle(new CloseRequested(refused()))).isEmpty();
  }
}
