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
import io.redial.internal.LifecycleTypes.Action;
import io.redial.internal.LifecycleTypes.ChannelClosed;
import io.redial.internal.LifecycleTypes.ChannelLost;
import io.redial.internal.LifecycleTypes.CloseChannel;
import io.redial.internal.LifecycleTypes.CloseRequested;
import io.redial.internal.LifecycleTypes.ConnectFailed;
import io.redial.internal.LifecycleTypes.ConnectRequested;
import io.redial.internal.LifecycleTypes.Drain;
import io.redial.internal.LifecycleTypes.Drained;
import io.redial.internal.LifecycleTypes.Emit;
import io.redial.internal.LifecycleTypes.FlushQueue;
import io.redial.internal.LifecycleTypes.OpenChannel;
import io.redial.internal.LifecycleTypes.PingUnanswered;
import io.redial.internal.LifecycleTypes.ResetBackoff;
import io.redial.internal.LifecycleTypes.ScheduleTimer;
import io.redial.internal.LifecycleTypes.Terminate;
import io.redial.internal.LifecycleTypes.Timer;
import io.redial.internal.LifecycleTypes.TimerFired;
import io.redial.internal.LifecycleTypes.TransportUp;
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

  /** The RETRY timers among the actions. */
  static List<ScheduleTimer> retries(List<Action> actions) {
    return only(actions, ScheduleTimer.class).stream().filter(t -> t.timer() == Timer.RETRY)
        .toList();
  }

  static <T extends Action> List<T> only(List<Action> actions, Class<T> type) {
    return actions.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static List<ConnectionEvent> events(List<Action> actions) {
    return only(actions, Emit.class).stream().map(Emit::event).toList();
  }

  /** Fails the attempt on channel gen the way the driver reports it: failure, then the close. */
  static List<Action> fail(Lifecycle lc, long gen) {
    List<Action> a = new java.util.ArrayList<>(lc.handle(new ConnectFailed(gen, refused())));
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

    a = lc.handle(new TransportUp(1));
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
    lc.handle(new TransportUp(1));
    assertThat(lc.handle(new ConnectRequested())).isEmpty(); // CONNECTED
    assertThat(lc.generation()).isEqualTo(1);
  }

  @Test
  void lostConnectionClosesFirstThenBacksOffThenOpensAFreshChannel() {
    Lifecycle lc = lifecycle(1, 0);
    lc.handle(new ConnectRequested());
    lc.handle(new TransportUp(1));
    RedialException reset = RedialException.of("WSAECONNRESET", "reset");
    List<Action> a = lc.handle(new ChannelLost(1, reset));
    // leaving CONNECTED closes that channel first: still CONNECTED until the close completes
    assertThat(only(a, CloseChannel.class)).containsExactly(new CloseChannel(1, reset));
    assertThat(lc.state()).isEqualTo(CONNECTED);

    a = lc.handle(new ChannelClosed(1));
    assertThat(lc.state()).isEqualTo(BACKOFF);
    assertThat(retries(a)).containsExactly(new ScheduleTimer(Timer.RETRY, 1, 100_000_000L));
    assertThat(events(a)).containsExactly(
        new ConnectionEvent.StateChanged("t", CONNECTED, BACKOFF, 1, reset));
    assertThat(lc.disconnects()).isEqualTo(1);

    a = lc.handle(new TimerFired(Timer.RETRY, 1));
    assertThat(lc.state()).isEqualTo(CONNECTING);
    assertThat(only(a, OpenChannel.class)).containsExactly(new OpenChannel(2, 0, 1));
  }

  @Test
  void orderlyCloseByThePeerIsALossWithAClearCause() {
    Lifecycle lc = lifecycle(1, 0);
    lc.handle(new ConnectRequested());
    lc.handle(new TransportUp(1));
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
      assertThat(retries(a).get(0).delayNanos())
          .as("delay after sweep %d", i + 1).isEqualTo(expected[i] * 1_000_000L);
      var failed = (ConnectionEvent.AttemptFailed) events(a).get(0);
      assertThat(failed.nextDelay()).contains(Duration.ofMillis(expected[i]));
      assertThat(failed.attempt()).isEqualTo(i + 1);
      lc.handle(new TimerFired(Timer.RETRY, retries(a).get(0).token()));
    }
  }

  @Test
  void aFullSweepOverThreeEndpointsComesBeforeTheDelayGrows() {
    Lifecycle lc = lifecycle(3, 0);
    List<Action> a = lc.handle(new ConnectRequested());
    assertThat(only(a, OpenChannel.class).get(0).endpointIndex()).isZero();

    a = fail(lc, 1);
    assertThat(lc.state()).isEqualTo(CONNECTING);
    assertThat(retries(a)).isEmpty();
    assertThat(only(a, OpenChannel.class)).containsExactly(new OpenChannel(2, 1, 2));
    assertThat(((ConnectionEvent.AttemptFailed) events(a).get(0)).nextDelay())
        .contains(Duration.ZERO);

    a = fail(lc, 2);
    assertThat(only(a, OpenChannel.class)).containsExactly(new OpenChannel(3, 2, 3));

    a = fail(lc, 3);
    assertThat(lc.state()).isEqualTo(BACKOFF);
    assertThat(only(a, OpenChannel.class)).isEmpty();
    assertThat(retries(a).get(0).delayNanos()).isEqualTo(100_000_000L);

    // second sweep wraps around to endpoint 0; the delay grows only after it fails as a whole
    a = lc.handle(new TimerFired(Timer.RETRY, retries(a).get(0).token()));
    assertThat(only(a, OpenChannel.class)).containsExactly(new OpenChannel(4, 0, 4));
    fail(lc, 4);
    fail(lc, 5);
    a = fail(lc, 6);
    assertThat(retries(a).get(0).delayNanos()).isEqualTo(200_000_000L);
  }

  @Test
  void failoverGoesToTheNextEndpointAndStaysWhereItConnected() {
    Lifecycle lc = lifecycle(2, 0);
    lc.handle(new ConnectRequested());
    fail(lc, 1);
    lc.handle(new TransportUp(2)); // endpoint 1
    lc.handle(new ChannelLost(2, refused()));
    List<Action> a = lc.handle(new ChannelClosed(2));
    a = lc.handle(new TimerFired(Timer.RETRY, retries(a).get(0).token()));
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
        lc.handle(new TimerFired(Timer.RETRY, retries(a).get(0).token()));
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
    lc.handle(new TransportUp(1));
    lc.handle(new ChannelLost(1, refused()));
    List<Action> a = lc.handle(new ChannelClosed(1));
    lc.handle(new TimerFired(Timer.RETRY, retries(a).get(0).token()));
    lc.handle(new TransportUp(2));
    assertThat(lc.state()).isEqualTo(CONNECTED);

    // late reports about generation 1
    assertThat(lc.handle(new ChannelLost(1, refused()))).isEmpty();
    assertThat(lc.handle(new ChannelClosed(1))).isEmpty();
    assertThat(lc.handle(new TransportUp(1))).isEmpty();
    assertThat(lc.handle(new ConnectFailed(1, refused()))).isEmpty();
    assertThat(lc.handle(new PingUnanswered(1))).isEmpty();
    assertThat(lc.handle(new Drained(1))).isEmpty();
    // and a stale retry timer
    assertThat(lc.handle(new TimerFired(Timer.RETRY, 0))).isEmpty();
    assertThat(lc.state()).isEqualTo(CONNECTED);
    assertThat(lc.generation()).isEqualTo(2);
    assertThat(lc.channelOpen()).isTrue();
  }

  @Test
  void aLateSuccessAfterTheTimeoutCannotConnect() {
    Lifecycle lc = lifecycle(1, 0);
    lc.handle(new ConnectRequested());
    lc.handle(new ConnectFailed(1, RedialException.of("CONNECT_TIMEOUT", "timeout")));
    assertThat(lc.handle(new TransportUp(1))).isEmpty();
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
    lc.handle(new TransportUp(1));
    List<Action> a = lc.handle(new PingUnanswered(1));
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
      lc.handle(new TransportUp(gen));
      lc.handle(new ChannelLost(gen, refused()));
      List<Action> a = lc.handle(new ChannelClosed(gen));
      assertThat(retries(a).get(0).delayNanos())
          .isEqualTo((100L << i) * 1_000_000L);
      lc.handle(new TimerFired(Timer.RETRY, retries(a).get(0).token()));
    }
    long gen = lc.generation();
    lc.handle(new TransportUp(gen, 1_000));
    lc.handle(new ChannelLost(gen, refused()));
    List<Action> a = lc.handle(new ChannelClosed(gen, 1_000 + Duration.ofSeconds(5).toNanos()));
    assertThat(retries(a).get(0).delayNanos()).isEqualTo(100_000_000L);
  }

  @Test
  void resetBackoffRetriesAtOnceAndInvalidatesTheTimer() {
    Lifecycle lc = lifecycle(1, 0);
    lc.handle(new ConnectRequested());
    List<Action> a = fail(lc, 1);
    long seq = retries(a).get(0).token();
    a = lc.handle(new ResetBackoff());
    assertThat(lc.state()).isEqualTo(CONNECTING);
    assertThat(only(a, OpenChannel.class)).containsExactly(new OpenChannel(2, 0, 2));
    assertThat(lc.handle(new TimerFired(Timer.RETRY, seq))).isEmpty(); // the old timer is stale
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
    assertThat(connecting.handle(new TransportUp(1))).isEmpty();
    a = connecting.handle(new ChannelClosed(1));
    assertThat(connecting.state()).isEqualTo(CLOSED);
    assertThat(only(a, Terminate.class)).hasSize(1);
    assertThat(only(a, OpenChannel.class)).isEmpty();

    // CONNECTED: drains first, then closes
    Lifecycle connected = lifecycle(1, 0);
    connected.handle(new ConnectRequested());
    connected.handle(new TransportUp(1));
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
    long seq = retries(fail(backoff, 1)).get(0).token();
    backoff.handle(new CloseRequested(refused()));
    assertThat(backoff.state()).isEqualTo(CLOSED);
    assertThat(backoff.handle(new TimerFired(Timer.RETRY, seq))).isEmpty();

    // a second close is a no-op
    assertThat(backoff.handle(new CloseRequested(refused()))).isEmpty();
  }

  // ---- timers, stability, handshake, replacement (the whole machine) ------------------------

  static Lifecycle lifecycle(boolean handshake, long maxAgeNanos) {
    return new Lifecycle(new Lifecycle.Settings("t", List.of(new Endpoint("h", 1, null)),
        BACKOFF_100MS_X2, new FixedRandom(0.5), 0, Duration.ofSeconds(5).toNanos(),
        Duration.ofSeconds(3).toNanos(), Duration.ofSeconds(2).toNanos(), handshake,
        maxAgeNanos));
  }

  static ScheduleTimer timer(List<Action> actions, Timer kind) {
    return only(actions, ScheduleTimer.class).stream().filter(t -> t.timer() == kind)
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " timer in " + actions));
  }

  /**
   * The stability rule as a table: up for stableAfter minus 1 ns, exactly stableAfter, and more.
   * Only then does the next wait start over; the time comes from the events, not a clock.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "up {0} ns -> next delay {1} ms")
  @org.junit.jupiter.params.provider.CsvSource({
      "4999999999, 400", "5000000000, 100", "5000000001, 100", "0, 400"})
  void theBackoffStartsOverExactlyAtStableAfter(long upNanos, long expectedDelayMs) {
    Lifecycle lc = lifecycle(1, 0);
    lc.handle(new ConnectRequested());
    for (int i = 0; i < 2; i++) { // two quick flaps: the next delay would be 400 ms
      long gen = lc.generation();
      lc.handle(new TransportUp(gen, 0));
      List<Action> a = lc.handle(new ChannelClosed(gen, 0));
      lc.handle(new TimerFired(Timer.RETRY, retries(a).get(0).token()));
    }
    long gen = lc.generation();
    long t0 = 7_000_000_000L;
    lc.handle(new TransportUp(gen, t0));
    List<Action> a = lc.handle(new ChannelClosed(gen, t0 + upNanos));
    assertThat(retries(a).get(0).delayNanos()).isEqualTo(expectedDelayMs * 1_000_000L);
  }

  @Test
  void theConnectTimerBoundsTheAttemptAndIsCancelledOnConnect() {
    Lifecycle lc = lifecycle(false, 0);
    List<Action> a = lc.handle(new ConnectRequested());
    ScheduleTimer connect = timer(a, Timer.CONNECT);
    assertThat(connect.delayNanos()).isEqualTo(3_000_000_000L);
    a = lc.handle(new TimerFired(Timer.CONNECT, connect.token()));
    CloseChannel close = only(a, CloseChannel.class).get(0);
    assertThat(close.cause().error().name()).isEqualTo("CONNECT_TIMEOUT");
    assertThat(close.cause()).hasMessageContaining("within PT3S");
    a = lc.handle(new ChannelClosed(1, 0));
    assertThat(lc.state()).isEqualTo(BACKOFF);

    a = lc.handle(new TimerFired(Timer.RETRY, retries(a).get(0).token()));
    connect = timer(a, Timer.CONNECT);
    a = lc.handle(new TransportUp(2, 0));
    assertThat(only(a, Lifecycle.CancelTimer.class))
        .containsExactly(new Lifecycle.CancelTimer(Timer.CONNECT));
    assertThat(lc.timerPending(Timer.CONNECT)).isFalse();
    assertThat(lc.handle(new TimerFired(Timer.CONNECT, connect.token()))).isEmpty();
    assertThat(lc.state()).isEqualTo(CONNECTED);
  }

  @Test
  void aHandshakeRunsBeforeConnectedAndTheQueueOpensOnlyAfterIt() {
    Lifecycle lc = lifecycle(true, 0);
    List<Action> a = lc.handle(new ConnectRequested());
    ScheduleTimer connect = timer(a, Timer.CONNECT);
    a = lc.handle(new TransportUp(1, 0));
    assertThat(a).containsExactly(new Lifecycle.StartHandshake(1));
    assertThat(lc.state()).isEqualTo(CONNECTING);
    assertThat(lc.phase()).isEqualTo(Lifecycle.Phase.HANDSHAKING);
    a = lc.handle(new Lifecycle.HandshakeDone(1, 0));
    assertThat(lc.state()).isEqualTo(CONNECTED);
    assertThat(only(a, FlushQueue.class)).containsExactly(new FlushQueue(1));
    assertThat(lc.handle(new TimerFired(Timer.CONNECT, connect.token()))).isEmpty();
  }

  @Test
  void aHandshakeThatFailsIsAFailedAttemptAndOneThatTimesOutToo() {
    Lifecycle lc = lifecycle(true, 0);
    lc.handle(new ConnectRequested());
    lc.handle(new TransportUp(1, 0));
    RedialException failed = RedialException.of("HANDSHAKE_FAILED", "no");
    List<Action> a = lc.handle(new ConnectFailed(1, failed));
    assertThat(only(a, CloseChannel.class)).containsExactly(new CloseChannel(1, failed));
    a = lc.handle(new ChannelClosed(1, 0));
    assertThat(lc.state()).isEqualTo(BACKOFF);
    assertThat(only(a, FlushQueue.class)).isEmpty();

    a = lc.handle(new TimerFired(Timer.RETRY, retries(a).get(0).token()));
    ScheduleTimer connect = timer(a, Timer.CONNECT);
    lc.handle(new TransportUp(2, 0));
    a = lc.handle(new TimerFired(Timer.CONNECT, connect.token()));
    assertThat(only(a, CloseChannel.class).get(0).cause())
        .hasMessageContaining("the handshake had not finished");
    // a late success of the timed-out handshake changes nothing
    assertThat(lc.handle(new Lifecycle.HandshakeDone(2, 0))).isEmpty();
    lc.handle(new ChannelClosed(2, 0));
    assertThat(lc.state()).isEqualTo(BACKOFF);
  }

  @Test
  void aRejectedHandshakeClosesTheConnectionForGood() {
    Lifecycle lc = lifecycle(true, 0);
    lc.handle(new ConnectRequested());
    lc.handle(new TransportUp(1, 0));
    var rejected = new io.redial.HandshakeRejectedException("WRONGPASS");
    List<Action> a = lc.handle(new Lifecycle.HandshakeRefused(1, rejected));
    assertThat(lc.state()).isEqualTo(CLOSING);
    assertThat(only(a, CloseChannel.class)).containsExactly(new CloseChannel(1, rejected));
    var failure = (ConnectionEvent.AttemptFailed) events(a).get(0);
    assertThat(failure.nextDelay()).isEmpty();
    assertThat(failure.socketError().name()).isEqualTo("HANDSHAKE_REJECTED");
    a = lc.handle(new ChannelClosed(1, 0));
    assertThat(lc.state()).isEqualTo(CLOSED);
    assertThat(only(a, Terminate.class)).containsExactly(new Terminate(rejected));
    assertThat(only(a, OpenChannel.class)).isEmpty();
    for (Timer t : Timer.values()) {
      assertThat(lc.timerPending(t)).isFalse();
    }
  }

  @Test
  void reconnectClosesTheLiveChannelThenOpensAFreshOneWithoutWaiting() {
    Lifecycle lc = lifecycle(false, 0);
    lc.handle(new ConnectRequested());
    lc.handle(new TransportUp(1, 0));
    List<Action> a = lc.handle(new Lifecycle.ReconnectRequested());
    assertThat(only(a, CloseChannel.class)).hasSize(1);
    assertThat(only(a, OpenChannel.class)).as("never two channels at once").isEmpty();
    assertThat(lc.handle(new Lifecycle.ReconnectRequested())).as("once is enough").isEmpty();
    a = lc.handle(new ChannelClosed(1, 0));
    assertThat(lc.state()).isEqualTo(CONNECTING);
    assertThat(only(a, OpenChannel.class)).containsExactly(new OpenChannel(2, 0, 1));
    assertThat(retries(a)).isEmpty();
    assertThat(lc.disconnects()).isEqualTo(1);
  }

  @Test
  void maxConnectionAgeReplacesAHealthyChannelWithJitterBelowTheAge() {
    long age = Duration.ofMinutes(10).toNanos();
    Lifecycle lc = lifecycle(false, age);
    lc.handle(new ConnectRequested());
    List<Action> a = lc.handle(new TransportUp(1, 0));
    ScheduleTimer maxAge = timer(a, Timer.MAX_AGE);
    // FixedRandom(0.5): 5 % early
    assertThat(maxAge.delayNanos()).isEqualTo(age - age / 20);
    a = lc.handle(new TimerFired(Timer.MAX_AGE, maxAge.token()));
    assertThat(only(a, CloseChannel.class).get(0).cause())
        .hasMessageContaining("maxConnectionAge");
    a = lc.handle(new ChannelClosed(1, maxAge.delayNanos()));
    assertThat(only(a, OpenChannel.class)).hasSize(1);
    assertThat(lc.state()).isEqualTo(CONNECTING);
  }

  @Test
  void theDrainIsBoundedByItsOwnTimer() {
    Lifecycle lc = lifecycle(false, 0);
    lc.handle(new ConnectRequested());
    lc.handle(new TransportUp(1, 0));
    List<Action> a = lc.handle(new CloseRequested(refused()));
    assertThat(lc.phase()).isEqualTo(Lifecycle.Phase.DRAINING);
    assertThat(lc.state()).isEqualTo(CLOSING);
    ScheduleTimer drain = timer(a, Timer.DRAIN);
    assertThat(drain.delayNanos()).isEqualTo(2_000_000_000L);
    a = lc.handle(new TimerFired(Timer.DRAIN, drain.token()));
    assertThat(only(a, CloseChannel.class)).hasSize(1);
    assertThat(lc.handle(new Drained(1))).as("the drain already gave up").isEmpty();
    a = lc.handle(new ChannelClosed(1, 0));
    assertThat(lc.state()).isEqualTo(CLOSED);
  }
}
