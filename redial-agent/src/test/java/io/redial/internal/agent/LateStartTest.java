package io.redial.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.internal.agent.boot.Hooks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tracker attached to a running JVM meets sockets older than itself: it asks each for its
 * state the first time it sees it. Real sockets on loopback; the tracker is driven as the woven
 * advice would drive it.
 */
class LateStartTest {
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

  private final List<Report> reports = new CopyOnWriteArrayList<>();
  private final AtomicInteger summaries = new AtomicInteger();
  private final Reporter collecting = new Reporter() {
    @Override
    public void report(Report report) {
      reports.add(report);
    }

    @Override
    public void summary(Summary summary) {
      summaries.incrementAndGet();
    }

    @Override
    public void internalError(String what, Throwable error) {
      throw new AssertionError(what, error);
    }
  };
  private final Tracker late =
      new Tracker(AgentOptions.defaults(), collecting, Clock.fixed(T0, ZoneOffset.UTC), true);
  private ServerSocket server;
  private InetSocketAddress to;

  @BeforeEach
  void listen() throws Exception {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    to = (InetSocketAddress) server.getLocalSocketAddress();
  }

  @AfterEach
  void close() throws Exception {
    server.close();
  }

  @Test
  void aSocketConnectedBeforeTheAgentIsADoubleConnectOnItsNextConnect() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(to); // before the agent

      late.connectStart(Hooks.SOCKET_CONNECT, s, to);

      assertThat(reports).singleElement().satisfies(r -> {
        assertThat(r.pattern()).isEqualTo(Pattern.DOUBLE_CONNECT);
        assertThat(r.first().beforeAttach()).isTrue();
        assertThat(r.first().thread()).isEqualTo("connected before the agent was attached");
        assertThat(r.first().stack()).isEmpty();
        assertThat(TextReporter.render(r)).contains(
            "  first connect: connected before the agent was attached (learned at " + T0 + ")");
        assertThat(JsonLinesReporter.render(r)).contains("\"beforeAttach\":true");
      });
    }
  }

  @Test
  void aChannelWithAPendingConnectFromBeforeIsAConnectWhilePending() throws Exception {
    try (SocketChannel ch = SocketChannel.open()) {
      ch.configureBlocking(false);
      boolean now = ch.connect(to);
      assertThat(now).as("a loopback non-blocking connect is pending until finishConnect")
          .isFalse();

      late.connectStart(Hooks.CHANNEL_CONNECT, ch, to);

      assertThat(reports).singleElement().satisfies(r -> {
        assertThat(r.pattern()).isEqualTo(Pattern.CONNECT_PENDING);
        assertThat(r.first().thread())
            .isEqualTo("a connect started before the agent was attached");
      });
    }
  }

  @Test
  void aChannelClosedBeforeTheAgentIsAConnectAfterClose() throws Exception {
    SocketChannel ch = SocketChannel.open();
    ch.close();

    late.connectStart(Hooks.CHANNEL_CONNECT, ch, to);

    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.pattern()).isEqualTo(Pattern.CONNECT_AFTER_CLOSE);
      assertThat(r.first().thread()).isEqualTo("closed before the agent was attached");
    });
  }

  @Test
  void aCloseSeenAfterTheAttachIsRememberedForAReuse() throws Exception {
    Socket s = new Socket();
    s.connect(to);

    late.closed(Hooks.SOCKET_CLOSE, s);
    s.close();
    late.connectStart(Hooks.SOCKET_CONNECT, s, to);

    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.pattern()).isEqualTo(Pattern.CONNECT_AFTER_CLOSE);
      assertThat(r.first().beforeAttach()).isFalse(); // the agent saw this close itself
      // The first operation the agent saw on this socket: its one stack is the close's.
      assertThat(r.first().stack()).isNotEmpty();
      assertThat(r.origin()).isNull();
    });
  }

  @Test
  void aSocketFirstSeenConnectingKeepsThatStackAndNotTheCloses() throws Exception {
    Socket s = new Socket();
    Object token = late.connectStart(Hooks.SOCKET_CONNECT, s, to);
    s.connect(to);
    late.connectEnd(Hooks.SOCKET_CONNECT, s, token, true, null);
    late.closed(Hooks.SOCKET_CLOSE, s);
    s.close();

    late.connectStart(Hooks.SOCKET_CONNECT, s, to);

    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.pattern()).isEqualTo(Pattern.CONNECT_AFTER_CLOSE);
      assertThat(r.first().stackRecorded()).isFalse();
      assertThat(TextReporter.render(r)).contains(
          "      stack: not recorded; start the agent with stacks=all to record close stacks\n");
      assertThat(r.origin()).isSameAs(token);
      assertThat(r.originRole()).isEqualTo("first connect");
    });
  }

  @Test
  void aFreshSocketIsNotJudged() throws Exception {
    try (Socket s = new Socket()) {
      Object token = late.connectStart(Hooks.SOCKET_CONNECT, s, to);
      s.connect(to);
      late.connectEnd(Hooks.SOCKET_CONNECT, s, token, true, null);
    }
    assertThat(reports).isEmpty();
  }

  @Test
  void withoutALateStartNothingIsAskedOfTheSocket() throws Exception {
    Tracker early = new Tracker(AgentOptions.defaults(), collecting,
        Clock.fixed(T0, ZoneOffset.UTC));
    try (Socket s = new Socket()) {
      s.connect(to);
      early.connectStart(Hooks.SOCKET_CONNECT, s, to);
    }
    assertThat(reports).isEmpty(); // with -javaagent every connect was seen: none was missed
  }

  @Test
  void theEndOfAWatchAndTheJvmsExitPrintTheSummaryOnce() {
    // (Hooks' probe is global to this JVM, which HooksTest fills: the switch-off itself is seen
    // end to end by AttachCommandIT in redial-cli.)
    assertThat(late.endWatch()).isTrue();
    late.shutdown();
    assertThat(summaries).hasValue(1);
    assertThat(late.endWatch()).isFalse();
  }
}
