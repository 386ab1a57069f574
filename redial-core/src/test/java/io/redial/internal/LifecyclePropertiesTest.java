package io.redial.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.Backoff;
import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import io.redial.RedialException;
import io.redial.internal.LifecycleTypes.Action;
import io.redial.internal.LifecycleTypes.Event;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random event sequences, shaped like what the driver can report (including late and duplicate
 * reports about old channels), never break the lifecycle's invariants.
 */
class LifecyclePropertiesTest {
  /** One step: which kind of event, and a number that picks a generation or timer for it. */
  record Step(int kind, int pick) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> step =
        net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 13),
                Arbitraries.integers().between(0, 5))
            .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(200);
  }

  @Property(tries = 500)
  void invariantsHoldForAnyEventSequence(
      @ForAll("steps") List<Step> steps,
      @ForAll @IntRange(min = 1, max = 3) int endpoints,
      @ForAll @IntRange(min = 0, max = 4) int maxAttempts,
      @ForAll boolean handshake,
      @ForAll boolean maxAge,
      @ForAll long seed) {
    List<Endpoint> eps =
        java.util.stream.IntStream.range(0, endpoints)
            .mapToObj(i -> new Endpoint("h" + i, 1 + i, null))
            .toList();
    Lifecycle lc = new Lifecycle(new Lifecycle.Settings("p", eps,
        Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 1.6, 0.2),
        new SplittableRandom(seed), maxAttempts, Duration.ofSeconds(1).toNanos(),
        Duration.ofSeconds(3).toNanos(), Duration.ofSeconds(2).toNanos(), handshake,
        maxAge ? Duration.ofSeconds(30).toNanos() : 0));
    long[] lastToken = new long[Lifecycle.Timer.values().length];
    long now = 0;
    Set<Long> open = new HashSet<>(); // channels the driver would hold open
    boolean wasClosed = false;
    RedialException boom = RedialException.of("WSAECONNRESET", "boom");

    for (Step s : steps) {
      long gen = lc.generation();
      long pickedGen =
          switch (s.pick()) {
            case 0, 1, 2 -> gen;
            case 3 -> Math.max(0, gen - 1);
            default -> s.pick() % 2 == 0 ? gen + 1 : Math.max(0, gen - 2);
          };
      now += Duration.ofMillis(700).toNanos();
      Lifecycle.Timer timer = Lifecycle.Timer.values()[s.pick() % Lifecycle.Timer.values().length];
      Event e =
          switch (s.kind()) {
            case 0 -> new Lifecycle.ConnectRequested();
            case 1 -> new Lifecycle.TransportUp(pickedGen, now);
            case 2 -> new Lifecycle.ConnectFailed(pickedGen, boom);
            case 3 -> new Lifecycle.ChannelLost(pickedGen, boom);
            case 4 -> new Lifecycle.PingUnanswered(pickedGen);
            case 5 -> new Lifecycle.ChannelClosed(pickedGen, now);
            case 6 -> new Lifecycle.TimerFired(timer,
                s.pick() < 4 ? lastToken[timer.ordinal()] : lastToken[timer.ordinal()] - 1);
            case 7 -> new Lifecycle.HandshakeDone(pickedGen, now);
            case 8 -> new Lifecycle.ResetBackoff();
            case 9 -> new Lifecycle.CloseRequested(boom);
            case 10 -> new Lifecycle.HandshakeRefused(pickedGen,
                new io.redial.HandshakeRejectedException("no"));
            case 11 -> new Lifecycle.ReconnectRequested();
            default -> new Lifecycle.Drained(pickedGen);
          };
      if (e instanceof Lifecycle.ChannelClosed cc) {
        // the driver reports a close only for a channel it created
        if (cc.gen() < 1 || cc.gen() > gen) {
          continue;
        }
        open.remove(cc.gen());
      }
      ConnectionState before = lc.state();
      List<Action> actions = lc.handle(e);

      if (wasClosed) {
        assertThat(actions).as("CLOSED is terminal: %s", e).isEmpty();
        assertThat(lc.state()).isEqualTo(ConnectionState.CLOSED);
      }
      long genBefore = gen;
      for (Action a : actions) {
        if (a instanceof Lifecycle.OpenChannel oc) {
          assertThat(open).as("open channels when opening %s after %s", oc, e).isEmpty();
          assertThat(oc.gen()).isEqualTo(genBefore + 1);
          genBefore = oc.gen();
          open.add(oc.gen());
        } else if (a instanceof Lifecycle.CloseChannel c) {
          assertThat(c.gen()).as("CloseChannel acts on the current channel").isEqualTo(lc.generation());
        } else if (a instanceof Lifecycle.FlushQueue f) {
          assertThat(f.gen()).isEqualTo(lc.generation());
          assertThat(before).as("a queue flushes only on entering CONNECTED")
              .isEqualTo(ConnectionState.CONNECTING);
          assertThat(lc.state()).isEqualTo(ConnectionState.CONNECTED);
          if (handshake) {
            assertThat(e).as("with a handshake, only its success opens the queue")
                .isInstanceOf(Lifecycle.HandshakeDone.class);
          }
        } else if (a instanceof Lifecycle.Drain d) {
          assertThat(d.gen()).isEqualTo(lc.generation());
        } else if (a instanceof Lifecycle.ScheduleTimer t) {
          assertThat(t.token()).isGreaterThan(lastToken[t.timer().ordinal()]);
          lastToken[t.timer().ordinal()] = t.token();
          assertThat(t.delayNanos()).isBetween(0L, Duration.ofSeconds(30).toNanos());
        } else if (a instanceof Lifecycle.Emit em
            && em.event() instanceof ConnectionEvent.StateChanged sc) {
          assertThat(sc.from()).isNotEqualTo(sc.to());
          assertThat(sc.from()).isNotEqualTo(ConnectionState.CLOSED);
        }
      }
      assertThat(open.size()).as("open channels").isLessThanOrEqualTo(1);
      assertThat(lc.channelOpen()).isEqualTo(open.contains(lc.generation()));
      if (lc.state() == ConnectionState.CONNECTED || lc.state() == ConnectionState.CONNECTING) {
        assertThat(lc.channelOpen()).as("%s holds its channel", lc.state()).isTrue();
      }
      if (lc.state() == ConnectionState.CLOSED
          || lc.state() == ConnectionState.BACKOFF
          || lc.state() == ConnectionState.IDLE) {
        assertThat(lc.channelOpen()).as("%s holds no channel (after %s from %s)", lc.state(), e,
            before).isFalse();
      }
      if (lc.state() == ConnectionState.CLOSED) {
        for (Lifecycle.Timer t : Lifecycle.Timer.values()) {
          assertThat(lc.timerPending(t)).as("CLOSED leaves no %s timer", t).isFalse();
        }
      }
      wasClosed = lc.state() == ConnectionState.CLOSED;
    }
  }
}
