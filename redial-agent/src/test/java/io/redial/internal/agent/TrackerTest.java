package io.redial.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redial.internal.agent.boot.Hooks;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The tracker driven directly, as the woven advice would drive it, with plain objects. */
class TrackerTest {
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  private static final InetSocketAddress TARGET = InetSocketAddress.createUnresolved("peer", 7);

  private final List<Report> reports = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final Reporter collecting = new Reporter() {
    @Override
    public void report(Report report) {
      reports.add(report);
    }

    @Override
    public void summary(Summary summary) {}

    @Override
    public void internalError(String what, Throwable error) {
      errors.add(what);
    }
  };
  private final Tracker tracker = tracker(AgentOptions.defaults());

  private Tracker tracker(AgentOptions options) {
    return new Tracker(options, collecting, Clock.fixed(T0, ZoneOffset.UTC));
  }

  private static final int SOCKET = Hooks.SOCKET_CONNECT;

  /** A connect that succeeded, as Socket.connect's advice reports it. */
  private Object connected(Object socket) {
    Object token = tracker.connectStart(SOCKET, socket, TARGET);
    tracker.connectEnd(SOCKET, socket, token, true, null);
    return token;
  }

  @Test
  void secondConnectOnAConnectedSocketIsADoubleConnectWithBothAttempts() {
    Object socket = new Object();
    Object first = connected(socket);

    Object second = tracker.connectStart(SOCKET, socket, TARGET);
    tracker.connectEnd(SOCKET, socket, second, false, new SocketException("already connected"));

    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.pattern()).isEqualTo(Pattern.DOUBLE_CONNECT);
      assertThat(r.first()).isSameAs(first);
      assertThat(r.firstRole()).isEqualTo("first connect");
      assertThat(r.second().target()).isEqualTo(TARGET);
      assertThat(r.second().time()).isEqualTo(T0);
      assertThat(r.second().thread()).isEqualTo(Thread.currentThread().getName());
      assertThat(r.socket()).isEqualTo("java.net.Socket#1");
      assertThat(r.explanation()).map(e -> e.name()).contains("WSAEISCONN");
    });
    assertThat(tracker.summary().counts().get(Pattern.DOUBLE_CONNECT)).isEqualTo(1);
  }

  @Test
  void recordedStacksStartAtTheCallerNotInTheAgent() {
    Object socket = new Object();
    Object token = tracker.connectStart(SOCKET, socket, TARGET);

    assertThat(token).isInstanceOf(Attempt.class);
    List<StackTraceElement> stack = ((Attempt) token).stack();
    assertThat(stack.get(0).getClassName()).isEqualTo(TrackerTest.class.getName());
    assertThat(stack.get(0).getMethodName())
        .isEqualTo("recordedStacksStartAtTheCallerNotInTheAgent");
  }

  @Test
  void stackDepthBoundsEveryRecordedStack() {
    Tracker shallow = tracker(new AgentOptions(Optional.empty(), true, 2));

    Object token = shallow.connectStart(SOCKET, new Object(), TARGET);

    assertThat(((Attempt) token).stack()).hasSize(2);
  }

  @Test
  void connectWhileAnotherIsPendingIsReportedWithThePendingOne() {
    Object channel = new Object();
    int probe = Hooks.CHANNEL_CONNECT;
    Object first = tracker.connectStart(probe, channel, TARGET);
    tracker.connectEnd(probe, channel, first, false, null); // non-blocking: pending

    Object second = tracker.connectStart(probe, channel, TARGET);
    tracker.connectEnd(probe, channel, second, false,
        new java.nio.channels.ConnectionPendingException());

    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.pattern()).isEqualTo(Pattern.CONNECT_PENDING);
      assertThat(r.first()).isSameAs(first);
      assertThat(r.firstRole()).isEqualTo("pending connect");
      assertThat(r.socket()).startsWith("java.nio.channels.SocketChannel#");
    });
  }

  @Test
  void finishConnectTurnsThePendingConnectIntoTheFirstConnect() {
    Object channel = new Object();
    int probe = Hooks.CHANNEL_CONNECT;
    Object first = tracker.connectStart(probe, channel, TARGET);
    tracker.connectEnd(probe, channel, first, false, null);
    tracker.settled(probe, channel, true);

    Object again = tracker.connectStart(probe, channel, TARGET);
    tracker.connectEnd(probe, channel, again, false,
        new java.nio.channels.AlreadyConnectedException());

    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.pattern()).isEqualTo(Pattern.DOUBLE_CONNECT);
      assertThat(r.first()).isSameAs(first);
    });
  }

  @Test
  void aFailedConnectIsNoLongerPendingSoARetryIsFine() {
    Object socket = new Object();
    Object first = tracker.connectStart(SOCKET, socket, TARGET);
    tracker.connectEnd(SOCKET, socket, first, false, new java.net.ConnectException("refused"));

    Object retry = tracker.connectStart(SOCKET, socket, TARGET);

    assertThat(retry).isInstanceOf(Attempt.class);
    assertThat(reports).isEmpty();
  }

  @Test
  void aViolationIsReportedBeforeTheCallReturns() {
    Object socket = new Object();
    connected(socket);

    tracker.connectStart(SOCKET, socket, TARGET); // the JDK may now block on a lock: report first

    assertThat(reports).singleElement()
        .satisfies(r -> assertThat(r.pattern()).isEqualTo(Pattern.DOUBLE_CONNECT));
  }

  @Test
  void aPendingViolationTheJdkLetThroughIsFollowedFromThen() {
    Object socket = new Object();
    InetSocketAddress other = InetSocketAddress.createUnresolved("other", 8);
    Object first = tracker.connectStart(SOCKET, socket, TARGET);
    Object second = tracker.connectStart(SOCKET, socket, other); // waits for the first's lock
    tracker.connectEnd(SOCKET, socket, first, false, new java.net.ConnectException("refused"));
    tracker.connectEnd(SOCKET, socket, second, true, null); // then the JDK connected it

    Object third = tracker.connectStart(SOCKET, socket, TARGET);
    tracker.connectEnd(SOCKET, socket, third, false, new SocketException("already connected"));

    assertThat(reports).extracting(Report::pattern)
        .containsExactly(Pattern.CONNECT_PENDING, Pattern.DOUBLE_CONNECT);
    assertThat(reports.get(1).first().target()).isEqualTo(other);
  }

  @Test
  void connectAfterCloseShowsTheFirstCloseWithoutItsStackAndTheFirstConnectWithIt() {
    Object socket = new Object();
    Object first = connected(socket);
    tracker.closed(Hooks.SOCKET_CLOSE, socket);
    tracker.closed(Hooks.SOCKET_CLOSE, socket); // a second close changes nothing

    Object reuse = tracker.connectStart(SOCKET, socket, TARGET);
    tracker.connectEnd(SOCKET, socket, reuse, false, new SocketException("Socket is closed"));

    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.pattern()).isEqualTo(Pattern.CONNECT_AFTER_CLOSE);
      assertThat(r.firstRole()).isEqualTo("closed");
      assertThat(r.first().target()).isNull();
      assertThat(r.first().thread()).isEqualTo(Thread.currentThread().getName());
      assertThat(r.first().stackRecorded()).isFalse();
      assertThat(r.first().stack()).isEmpty();
      assertThat(r.first().stackNote())
          .isEqualTo("not recorded; start the agent with stacks=all to record close stacks");
      assertThat(r.originRole()).isEqualTo("first connect");
      assertThat(r.origin()).isSameAs(first);
      assertThat(r.origin().stack().get(0).getMethodName()).isEqualTo("connected");
      assertThat(r.second().stackRecorded()).isTrue(); // the offending call: always taken
      assertThat(r.second().stack().get(0).getMethodName())
          .isEqualTo("connectAfterCloseShowsTheFirstCloseWithoutItsStackAndTheFirstConnectWithIt");
      assertThat(r.note()).contains("Create a new one");
    });
  }

  @Test
  void withStacksAllTheCloseRecordsItsStackAndNoOriginIsNeeded() {
    Tracker all = tracker(AgentOptions.parse("stacks=all"));
    Object socket = new Object();
    Object token = all.connectStart(SOCKET, socket, TARGET);
    all.connectEnd(SOCKET, socket, token, true, null);
    closeHere(all, socket);

    all.connectStart(SOCKET, socket, TARGET);

    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.pattern()).isEqualTo(Pattern.CONNECT_AFTER_CLOSE);
      assertThat(r.first().stackNote()).isNull();
      assertThat(r.first().stack().get(0).getMethodName()).isEqualTo("closeHere");
      assertThat(r.origin()).isNull();
      assertThat(r.originRole()).isNull();
    });
  }

  private static void closeHere(Tracker t, Object socket) {
    t.closed(Hooks.SOCKET_CLOSE, socket);
  }

  @Test
  void aChannelKeepsTheStackOfItsOpenAndNotOfItsConnect() {
    Object channel = new Object();
    openHere(tracker, channel);
    int probe = Hooks.CHANNEL_CONNECT;
    Object first = tracker.connectStart(probe, channel, TARGET);
    tracker.connectEnd(probe, channel, first, true, null);

    assertThat(((Attempt) first).stackRecorded()).isFalse();
    assertThat(((Attempt) first).target()).isEqualTo(TARGET);

    tracker.connectStart(probe, channel, TARGET);

    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.pattern()).isEqualTo(Pattern.DOUBLE_CONNECT);
      assertThat(r.first()).isSameAs(first);
      assertThat(r.first().stackNote())
          .isEqualTo("not recorded; start the agent with stacks=all to record connect stacks");
      assertThat(r.originRole()).isEqualTo("opened");
      assertThat(r.origin().stack().get(0).getMethodName()).isEqualTo("openHere");
      assertThat(r.second().stack().get(0).getMethodName())
          .isEqualTo("aChannelKeepsTheStackOfItsOpenAndNotOfItsConnect");
    });
  }

  @Test
  void withStacksAllAChannelsConnectRecordsItsStackToo() {
    Tracker all = tracker(AgentOptions.parse("stacks=all"));
    Object channel = new Object();
    openHere(all, channel);
    int probe = Hooks.CHANNEL_CONNECT;
    Object first = all.connectStart(probe, channel, TARGET);
    all.connectEnd(probe, channel, first, true, null);

    all.connectStart(probe, channel, TARGET);

    assertThat(((Attempt) first).stackRecorded()).isTrue();
    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.first()).isSameAs(first);
      assertThat(r.first().stack().get(0).getMethodName())
          .isEqualTo("withStacksAllAChannelsConnectRecordsItsStackToo");
      assertThat(r.origin()).isNull();
    });
  }

  @Test
  void withLeaksOffAChannelsFirstConnectIsTheOneThatKeepsAStack() {
    Tracker quiet = tracker(new AgentOptions(Optional.empty(), false, 8));
    Object channel = new Object();
    quiet.opened(Hooks.CHANNEL_OPEN, channel); // not recorded at all with leaks=off

    Object first = quiet.connectStart(Hooks.CHANNEL_CONNECT, channel, TARGET);

    assertThat(((Attempt) first).stackRecorded()).isTrue();
  }

  @Test
  void aRetryAfterAFailedConnectHasNoStackAndTheFailedOneIsShownAsTheEarlierConnect() {
    Object socket = new Object();
    Object failed = tracker.connectStart(SOCKET, socket, TARGET);
    tracker.connectEnd(SOCKET, socket, failed, false, new java.net.ConnectException("refused"));
    Object retry = connected(socket);

    tracker.connectStart(SOCKET, socket, TARGET);

    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.pattern()).isEqualTo(Pattern.DOUBLE_CONNECT);
      assertThat(r.first()).isSameAs(retry);
      assertThat(r.first().stackRecorded()).isFalse();
      assertThat(r.originRole()).isEqualTo("earlier connect");
      assertThat(r.origin()).isSameAs(failed);
    });
  }

  @Test
  void aNormalConnectAndCloseRecordOneStackBetweenThem() {
    Object channel = new Object();
    tracker.opened(Hooks.CHANNEL_OPEN, channel);
    Object token = tracker.connectStart(Hooks.CHANNEL_CONNECT, channel, TARGET);
    tracker.connectEnd(Hooks.CHANNEL_CONNECT, channel, token, true, null);
    Object socket = new Object();
    Object socketToken = connected(socket);
    tracker.closed(Hooks.SOCKET_CLOSE, socket);

    assertThat(((Attempt) token).stackRecorded()).as("the channel's connect, after its open")
        .isFalse();
    assertThat(((Attempt) socketToken).stackRecorded()).as("a Socket's first connect").isTrue();
    tracker.connectStart(SOCKET, socket, TARGET); // only to see the close
    assertThat(reports).singleElement()
        .satisfies(r -> assertThat(r.first().stackRecorded()).as("the close").isFalse());
  }

  /** The stack budget's clock, in nanoseconds: only these tests move it. */
  private final AtomicLong nanos = new AtomicLong(123_456_789L);

  private Tracker budgeted(int stackRate) {
    AgentOptions options = new AgentOptions(Optional.empty(), true, 8, 0, Optional.empty(),
        Optional.empty(), false, stackRate);
    return new Tracker(options, collecting, Clock.fixed(T0, ZoneOffset.UTC), false, nanos::get);
  }

  private static Object connected(Tracker t, Object socket) {
    Object token = t.connectStart(SOCKET, socket, TARGET);
    t.connectEnd(SOCKET, socket, token, true, null);
    return token;
  }

  @Test
  void overTheBudgetASocketIsFollowedAndItsMisuseHasTheOffendingStack() {
    Tracker t = budgeted(2);
    Attempt a = (Attempt) connected(t, new Object());
    Attempt b = (Attempt) connected(t, new Object());
    Object socket = new Object();
    Attempt c = (Attempt) connected(t, socket);

    assertThat(a.stackRecorded()).isTrue();
    assertThat(b.stackRecorded()).isTrue();
    assertThat(c.stackRecorded()).as("the third in one second, at 2 a second").isFalse();
    assertThat(c.stackNote()).isEqualTo("not sampled: the agent records at most 2 stacks a"
        + " second and was over that; stackRate=unlimited records every one");

    t.connectStart(SOCKET, socket, TARGET);

    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.pattern()).isEqualTo(Pattern.DOUBLE_CONNECT);
      assertThat(r.first()).isSameAs(c);
      assertThat(r.origin()).as("no earlier stack to show instead").isNull();
      assertThat(r.second().stackRecorded()).as("the offending call's, budget or not").isTrue();
      assertThat(r.second().stack().get(0).getMethodName())
          .isEqualTo("overTheBudgetASocketIsFollowedAndItsMisuseHasTheOffendingStack");
    });
    assertThat(t.summary().stacksNotSampled()).isEqualTo(1);

    nanos.addAndGet(500_000_000L); // half a second: one more permit at 2 a second
    assertThat(((Attempt) connected(t, new Object())).stackRecorded()).isTrue();
    assertThat(((Attempt) connected(t, new Object())).stackRecorded()).isFalse();
  }

  @Test
  void aSocketRefusedItsStackAsksOnceAndItsLaterOperationsSayNotSampled() {
    Tracker t = budgeted(1);
    t.opened(Hooks.CHANNEL_OPEN, new Object()); // takes this second's one stack
    Object channel = new Object();
    t.opened(Hooks.CHANNEL_OPEN, channel); // refused
    nanos.addAndGet(1_000_000_000L); // a permit again, but the channel has had its ask

    Object first = t.connectStart(Hooks.CHANNEL_CONNECT, channel, TARGET);
    t.connectEnd(Hooks.CHANNEL_CONNECT, channel, first, true, null);
    t.closed(Hooks.CHANNEL_CLOSE, channel);
    t.connectStart(Hooks.CHANNEL_CONNECT, channel, TARGET);

    String note = "not sampled: the agent records at most 1 stacks a second and was over that;"
        + " stackRate=unlimited records every one";
    assertThat(((Attempt) first).stackNote()).isEqualTo(note);
    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.pattern()).isEqualTo(Pattern.CONNECT_AFTER_CLOSE);
      assertThat(r.first().stackNote()).as("the close").isEqualTo(note);
      assertThat(r.origin()).isNull();
      assertThat(r.second().stackRecorded()).isTrue();
    });
    assertThat(t.summary().stacksNotSampled()).as("one socket, one refusal").isEqualTo(1);
    assertThat(((Attempt) connected(t, new Object())).stackRecorded())
        .as("the permit the channel did not use").isTrue();
  }

  @Test
  void withStackRateZeroALeakIsReportedAndSaysItsStackWasNotRecorded() {
    Tracker t = budgeted(0);
    t.opened(Hooks.CHANNEL_OPEN, new Object()); // dropped at once: collectable
    awaitCollected(t, 1);

    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.pattern()).isEqualTo(Pattern.LEAKED_SOCKET);
      assertThat(r.first().stack()).isEmpty();
      assertThat(r.first().stackNote())
          .isEqualTo("not recorded: stackRate=0 records only the offending call's stack");
    });
    assertThat(t.summary().stacksNotSampled()).isEqualTo(1);
  }

  private static void openHere(Tracker t, Object channel) {
    t.opened(Hooks.CHANNEL_OPEN, channel);
  }

  @Test
  void aClosedAsynchronousChannelIsReportedEvenThoughNothingIsThrown() {
    Object channel = new Object();
    int probe = Hooks.ASYNC_CONNECT;
    Object first = tracker.connectStart(probe, channel, TARGET);
    tracker.connectEnd(probe, channel, first, false, null);
    tracker.settled(probe, channel, true);
    tracker.closed(Hooks.ASYNC_CLOSE, channel);

    Object reuse = tracker.connectStart(probe, channel, TARGET);
    tracker.connectEnd(probe, channel, reuse, false, null); // failure goes to the future

    assertThat(reports).singleElement()
        .satisfies(r -> assertThat(r.pattern()).isEqualTo(Pattern.CONNECT_AFTER_CLOSE));
  }

  @Test
  void closeOfASocketNeverSeenConnectingIsIgnored() {
    tracker.closed(Hooks.SOCKET_CLOSE, new Object());

    assertThat(tracker.watchedNow()).isZero();
    assertThat(tracker.summary().socketsWatched()).isZero();
  }

  @Test
  void aChannelCollectedWithoutCloseIsALeakAndAClosedOneIsNot() {
    openAndDrop(false);
    openAndDrop(true);
    awaitCollected(tracker, 2);

    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.pattern()).isEqualTo(Pattern.LEAKED_SOCKET);
      assertThat(r.firstRole()).isEqualTo("opened");
      assertThat(r.first().stack().get(0).getMethodName()).isEqualTo("openAndDrop");
      assertThat(r.note()).contains("no cleaner");
    });
    assertThat(tracker.watchedNow()).isZero();
  }

  /** Collects garbage until {@code t} has taken {@code n} collected sockets out of its map. */
  private static void awaitCollected(Tracker t, int n) {
    AtomicInteger taken = new AtomicInteger();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      System.gc();
      taken.addAndGet(t.drainCollected());
      return taken.get() == n;
    });
  }

  private void openAndDrop(boolean close) {
    Object channel = new Object();
    tracker.opened(Hooks.CHANNEL_OPEN, channel);
    if (close) {
      tracker.closed(Hooks.CHANNEL_CLOSE, channel);
    }
  }

  @Test
  void withLeaksOffOpeningIsNotEvenRecorded() {
    Tracker quiet = tracker(new AgentOptions(Optional.empty(), false, 8));

    quiet.opened(Hooks.CHANNEL_OPEN, new Object());

    assertThat(quiet.watchedNow()).isZero();
  }

  @Test
  void fullReportsStopAtTheCapButTheCountGoesOn() {
    for (int i = 0; i <= Tracker.MAX_FULL_REPORTS; i++) {
      Object socket = new Object();
      connected(socket);
      Object again = tracker.connectStart(SOCKET, socket, TARGET);
      tracker.connectEnd(SOCKET, socket, again, false, new SocketException("already connected"));
    }

    assertThat(reports).hasSize(Tracker.MAX_FULL_REPORTS);
    Summary s = tracker.summary();
    assertThat(s.counts().get(Pattern.DOUBLE_CONNECT)).isEqualTo(Tracker.MAX_FULL_REPORTS + 1);
    assertThat(s.suppressed()).isEqualTo(1);
  }

  @Test
  void manyThreadsConnectingAndClosingTheirOwnSocketsReportNothing() throws Exception {
    int threads = 4;
    int perThread = 2_000;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            Object socket = new Object();
            connected(socket);
            tracker.closed(Hooks.SOCKET_CLOSE, socket);
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(reports).isEmpty();
    assertThat(tracker.summary().socketsWatched()).isEqualTo((long) threads * perThread);
  }

  @Test
  void internalErrorsAreCounted() {
    tracker.internalError("socket-connect", new IllegalStateException("boom"));

    assertThat(errors).containsExactly("probe socket-connect");
    assertThat(tracker.summary().internalErrors()).isEqualTo(1);
  }
}
