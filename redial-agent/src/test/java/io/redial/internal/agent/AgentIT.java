package io.redial.internal.agent;

import static io.redial.internal.agent.ChildJvm.frameOf;
import static io.redial.internal.agent.ChildJvm.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.redial.agent.programs.AdaptorConnectTwice;
import io.redial.agent.programs.AsyncConnectTwice;
import io.redial.agent.programs.CleanClient;
import io.redial.agent.programs.LeakedChannels;
import io.redial.agent.programs.LeakedSockets;
import io.redial.agent.programs.NettyClient;
import io.redial.agent.programs.NonBlockingConnectTwice;
import io.redial.agent.programs.ReconnectLoop;
import io.redial.agent.programs.ReconnectWhileReading;
import io.redial.agent.programs.ReuseAfterClose;
import io.redial.agent.programs.TwoThreadsConnect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each bug pattern as a small program in a child JVM with the agent, on every available JDK:
 * the report must name the pattern and point at the program's own lines.
 */
class AgentIT {

  static Stream<Path> javas() {
    return ChildJvm.javas();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void reconnectLoopThatReusesItsSocketIsADoubleConnect(Path java) throws Exception {
    ChildJvm.Result r = run(java, "", ReconnectLoop.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    List<ReportBlock> reports = r.reports();
    assertThat(reports).as(r.stderr()).hasSize(3)
        .allMatch(b -> b.pattern().equals("DOUBLE_CONNECT"));
    String first = frameOf(ReconnectLoop.class, "first-connect");
    String again = frameOf(ReconnectLoop.class, "reconnect");
    for (ReportBlock b : reports) {
      assertThat(b.stack("first connect")).anyMatch(f -> f.contains("(" + first + ")"));
      assertThat(b.stack("this connect")).anyMatch(f -> f.contains("(" + again + ")"));
      assertThat(b.thread("first connect")).isEqualTo("main");
      assertThat(b.text())
          .contains("DOUBLE_CONNECT (WSAEISCONN / EISCONN)")
          .contains("fix: ");
    }
    assertThat(r.summary()).contains("DOUBLE_CONNECT=3", "LEAKED_SOCKET=0");
    assertThat(r.stdout()).contains("attempt 3: java.net.SocketException");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void twoThreadsConnectingOneSocketIsAConnectWhilePending(Path java) throws Exception {
    ChildJvm.Result r = run(java, "", TwoThreadsConnect.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    ReportBlock b = single(r, "CONNECT_PENDING");
    assertThat(b.stack("pending connect"))
        .anyMatch(atMark(TwoThreadsConnect.class, "first-thread"));
    assertThat(b.thread("pending connect")).isEqualTo("connector-1");
    assertThat(b.stack("this connect"))
        .anyMatch(atMark(TwoThreadsConnect.class, "second-thread"));
    assertThat(b.thread("this connect")).isEqualTo("main");
    assertThat(b.text()).contains("CONNECT_PENDING (WSAEALREADY / EALREADY)");
  }

  /** What a report says in place of a connect's stack that was not recorded. */
  static final String NO_CONNECT_STACK =
      "      stack: not recorded; start the agent with stacks=all to record connect stacks";
  /** What a report says in place of a close's stack that was not recorded. */
  static final String NO_CLOSE_STACK =
      "      stack: not recorded; start the agent with stacks=all to record close stacks";

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void nonBlockingConnectCalledTwiceIsAConnectWhilePending(Path java) throws Exception {
    ChildJvm.Result r = run(java, "", NonBlockingConnectTwice.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("connected at once: false");
    ReportBlock b = single(r, "CONNECT_PENDING");
    // One stack per channel by default: its open's. The pending connect has thread and time.
    assertThat(b.stack("opened")).anyMatch(atMark(NonBlockingConnectTwice.class, "open"));
    assertThat(b.stack("pending connect")).isEmpty();
    assertThat(b.thread("pending connect")).isEqualTo("main");
    assertThat(b.text()).contains(NO_CONNECT_STACK);
    assertThat(b.stack("this connect"))
        .anyMatch(atMark(NonBlockingConnectTwice.class, "second-connect"));
    assertThat(b.text()).contains("java.nio.channels.SocketChannel#");
    assertThat(r.stdout()).contains("second connect: java.nio.channels.ConnectionPendingException");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void withStacksAllThePendingConnectShowsItsOwnStack(Path java) throws Exception {
    ChildJvm.Result r = run(java, "stacks=all", NonBlockingConnectTwice.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    ReportBlock b = single(r, "CONNECT_PENDING");
    assertThat(b.stack("pending connect"))
        .anyMatch(atMark(NonBlockingConnectTwice.class, "first-connect"));
    assertThat(b.stack("this connect"))
        .anyMatch(atMark(NonBlockingConnectTwice.class, "second-connect"));
    assertThat(b.stacks()).doesNotContainKey("opened");
    assertThat(b.text()).doesNotContain("not recorded");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void aChannelConnectedTwiceThroughItsSocketAdaptorIsADoubleConnect(Path java)
      throws Exception {
    ChildJvm.Result r = run(java, "", AdaptorConnectTwice.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    ReportBlock b = single(r, "DOUBLE_CONNECT");
    assertThat(b.stack("opened")).anyMatch(atMark(AdaptorConnectTwice.class, "open"));
    assertThat(b.stack("first connect")).isEmpty();
    assertThat(b.text()).contains(NO_CONNECT_STACK);
    assertThat(b.stack("this connect"))
        .anyMatch(atMark(AdaptorConnectTwice.class, "second-connect"));
    assertThat(b.text()).contains("java.nio.channels.SocketChannel#");
    // JDK 17's adaptor lets AlreadyConnectedException through; JDK 25 turns it into a
    // SocketException("Already connected").
    assertThat(r.stdout()).containsPattern("second connect: .*Already ?[Cc]onnected");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void withStacksAllTheAdaptorsFirstConnectShowsItsOwnStack(Path java) throws Exception {
    ChildJvm.Result r = run(java, "stacks=all", AdaptorConnectTwice.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    ReportBlock b = single(r, "DOUBLE_CONNECT");
    assertThat(b.stack("first connect"))
        .anyMatch(atMark(AdaptorConnectTwice.class, "first-connect"));
    assertThat(b.text()).doesNotContain("not recorded");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void aConnectWaitingBehindABlockedReadIsReportedWhileItWaits(Path java) throws Exception {
    ChildJvm.Result r = ChildJvm.runMerged(java, ReconnectWhileReading.class);

    assertThat(r.exitCode()).as(r.stdout()).isZero();
    ReportBlock b = single(r, "DOUBLE_CONNECT");
    assertThat(b.thread("this connect")).isEqualTo("reconnector");
    assertThat(b.stack("this connect")).anyMatch(atMark(ReconnectWhileReading.class, "reconnect"));
    // The program unblocks the reader (and with it the connect) only after the connect parked on
    // the read lock: the report must already be out by then.
    String out = r.stdout();
    assertThat(out.indexOf("[redial-agent] DOUBLE_CONNECT")).as(out).isNotNegative()
        .isLessThan(out.indexOf("unblocking the reader"));
    assertThat(out.indexOf("unblocking the reader"))
        .isLessThan(out.indexOf("reconnect: java.nio.channels.AlreadyConnectedException"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void anUnwritableReportFileFallsBackToStderr(Path java, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("missing-dir/report.jsonl");
    ChildJvm.Result r = run(java, "report=file:" + file, NonBlockingConnectTwice.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).contains("[redial-agent] cannot write report=file:" + file,
        "reporting on stderr instead");
    assertThat(r.reports()).singleElement()
        .satisfies(b -> assertThat(b.pattern()).isEqualTo("CONNECT_PENDING"));
    assertThat(file).doesNotExist();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void connectAfterCloseSaysTheCloseStackWasNotRecordedAndShowsTheFirstConnect(Path java)
      throws Exception {
    ChildJvm.Result r = run(java, "", ReuseAfterClose.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    ReportBlock b = single(r, "CONNECT_AFTER_CLOSE");
    assertThat(b.stack("closed")).isEmpty();
    assertThat(b.thread("closed")).isEqualTo("main");
    assertThat(b.text()).contains(NO_CLOSE_STACK);
    assertThat(b.stack("first connect"))
        .anyMatch(atMark(ReuseAfterClose.class, "first-connect"));
    assertThat(b.stack("this connect"))
        .anyMatch(atMark(ReuseAfterClose.class, "reuse"));
    assertThat(b.text()).contains("note: A closed socket can never connect again.");
    assertThat(r.stdout()).contains("reuse failed: java.net.SocketException: Socket is closed");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void withStacksAllConnectAfterCloseShowsWhereItWasClosedAndWhereReused(Path java)
      throws Exception {
    ChildJvm.Result r = run(java, "stacks=all", ReuseAfterClose.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    ReportBlock b = single(r, "CONNECT_AFTER_CLOSE");
    assertThat(b.stack("closed"))
        .anyMatch(atMark(ReuseAfterClose.class, "close"));
    assertThat(b.stack("this connect"))
        .anyMatch(atMark(ReuseAfterClose.class, "reuse"));
    assertThat(b.stacks()).doesNotContainKey("first connect");
    assertThat(b.text()).doesNotContain("not recorded");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void asynchronousChannelConnectedTwiceIsADoubleConnect(Path java) throws Exception {
    ChildJvm.Result r = run(java, "", AsyncConnectTwice.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    ReportBlock b = single(r, "DOUBLE_CONNECT");
    assertThat(b.stack("first connect")).anyMatch(
        f -> f.contains("(" + frameOf(AsyncConnectTwice.class, "first-connect") + ")"));
    assertThat(b.stack("this connect")).anyMatch(
        f -> f.contains("(" + frameOf(AsyncConnectTwice.class, "second-connect") + ")"));
    assertThat(b.text()).contains("java.nio.channels.AsynchronousSocketChannel#");
    assertThat(r.stdout()).contains("AlreadyConnectedException");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void everyLeakedChannelIsReportedWithTheLineThatOpenedIt(Path java) throws Exception {
    ChildJvm.Result r = run(java, "", LeakedChannels.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    List<ReportBlock> reports = r.reports();
    assertThat(reports).hasSize(100).allMatch(b -> b.pattern().equals("LEAKED_SOCKET"));
    String open = "(" + frameOf(LeakedChannels.class, "open") + ")";
    assertThat(reports).allSatisfy(b -> {
      assertThat(b.stack("opened")).anyMatch(f -> f.contains(open));
      assertThat(b.text()).contains("java.nio.channels.SocketChannel#",
          "file descriptor stays open");
    });
    assertThat(r.summary()).contains("LEAKED_SOCKET=100", "DOUBLE_CONNECT=0");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void socketsCollectedUnclosedAreLeaksToo(Path java) throws Exception {
    ChildJvm.Result r = run(java, "", LeakedSockets.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    List<ReportBlock> reports = r.reports();
    assertThat(reports).as(r.stderr()).hasSize(10)
        .allMatch(b -> b.pattern().equals("LEAKED_SOCKET"));
    String connect = "(" + frameOf(LeakedSockets.class, "connect") + ")";
    assertThat(reports).allSatisfy(b -> {
      assertThat(b.stack("opened")).anyMatch(f -> f.contains(connect));
      assertThat(b.text()).contains("java.net.Socket#", "cleaner");
    });
    assertThat(r.summary()).contains("LEAKED_SOCKET=10");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void leakReportsCanBeSwitchedOff(Path java) throws Exception {
    ChildJvm.Result r = run(java, "leaks=off", LeakedChannels.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.reports()).isEmpty();
    assertThat(r.summary()).contains("LEAKED_SOCKET=0");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void cleanProgramWithAThousandSocketsReportsNothing(Path java) throws Exception {
    ChildJvm.Result r = run(java, "", CleanClient.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("done");
    assertThat(r.reports()).as(r.stderr()).isEmpty();
    assertThat(r.stderr()).doesNotContain("INTERNAL ERROR");
    assertThat(r.summary()).contains("no socket misuse seen", "internal errors=0");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void nettyClientReportsNothing(Path java) throws Exception {
    ChildJvm.Result r = run(java, "", NettyClient.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("echo: ping");
    assertThat(r.reports()).as(r.stderr()).isEmpty();
    assertThat(r.stderr()).doesNotContain("INTERNAL ERROR");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void fileReportIsJsonLinesWithASummary(Path java, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("report.jsonl");
    ChildJvm.Result r = run(java, "report=file:" + file, ReconnectLoop.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.reports()).isEmpty();
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(4).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
    String again = frameOf(ReconnectLoop.class, "reconnect");
    assertThat(lines.subList(0, 3)).allSatisfy(l -> assertThat(l)
        .contains("\"type\":\"report\"", "\"pattern\":\"DOUBLE_CONNECT\"",
            "\"error\":\"WSAEISCONN\"", "(" + again + ")\""));
    assertThat(lines.get(3)).contains("\"type\":\"summary\"", "\"DOUBLE_CONNECT\":3");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void stackDepthLimitsEveryStack(Path java) throws Exception {
    ChildJvm.Result r = run(java, "stackDepth=2", ReconnectLoop.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.reports()).hasSize(3).allSatisfy(b -> {
      assertThat(b.stack("first connect")).hasSize(2);
      assertThat(b.stack("this connect")).hasSize(2)
          .anyMatch(f -> f.contains(frameOf(ReconnectLoop.class, "reconnect")));
    });
  }

  /** What a report says in place of a stack left out by {@code stackRate=0}. */
  static final String RATE_ZERO =
      "      stack: not recorded: stackRate=0 records only the offending call's stack";

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void withStackRateZeroEveryMisuseIsStillReportedWithTheOffendingCallsStack(Path java)
      throws Exception {
    ChildJvm.Result r = run(java, "stackRate=0", ReconnectLoop.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    List<ReportBlock> reports = r.reports();
    assertThat(reports).as(r.stderr()).hasSize(3).allSatisfy(b -> {
      assertThat(b.pattern()).isEqualTo("DOUBLE_CONNECT");
      assertThat(b.stack("first connect")).isEmpty();
      assertThat(b.thread("first connect")).isEqualTo("main");
      assertThat(b.text()).contains(RATE_ZERO);
      assertThat(b.stack("this connect")).anyMatch(atMark(ReconnectLoop.class, "reconnect"));
    });
    assertThat(r.summary()).contains("DOUBLE_CONNECT=3").doesNotContain("stacks not sampled=0");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void withStackRateZeroLeaksAreStillReportedEachSayingWhyItHasNoStack(Path java)
      throws Exception {
    ChildJvm.Result r = run(java, "stackRate=0", LeakedSockets.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.reports()).as(r.stderr()).hasSize(10).allSatisfy(b -> {
      assertThat(b.pattern()).isEqualTo("LEAKED_SOCKET");
      assertThat(b.stack("opened")).isEmpty();
      assertThat(b.text()).contains(RATE_ZERO);
    });
    assertThat(r.summary()).contains("LEAKED_SOCKET=10");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void aBadStackRateSaysWhyAndLeavesTheProgramAlone(Path java) throws Exception {
    assertDisabledAndProgramUntouched(run(java, "stackRate=lots", ReconnectLoop.class),
        "[redial-agent] disabled: redial-agent option stackRate='lots' is not allowed; use a"
            + " whole number of stacks a second from 0 to 1000000",
        "attempt 3: java.net.SocketException");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void badOptionsSayWhyAndLeaveTheProgramAlone(Path java) throws Exception {
    ChildJvm.Result r = run(java, "stackDepth=-1", ReconnectLoop.class);

    assertDisabledAndProgramUntouched(r, "[redial-agent] disabled:",
        "attempt 3: java.net.SocketException");
    assertThat(r.stderr()).contains("stackDepth='-1'", "1 to 1024");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void aBadStacksValueSaysWhyAndLeavesTheProgramAlone(Path java) throws Exception {
    assertDisabledAndProgramUntouched(run(java, "stacks=every", ReuseAfterClose.class),
        "[redial-agent] disabled: redial-agent option stacks='every' is not allowed; use"
            + " stacks=one",
        "reuse failed: java.net.SocketException: Socket is closed");
  }

  /** A bad option: the agent says why and stays off; the program runs as without it. */
  private static void assertDisabledAndProgramUntouched(ChildJvm.Result r, String why,
      String programSays) {
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).contains(why);
    assertThat(r.reports()).isEmpty();
    assertThat(r.stdout()).contains(programSays);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void anAgentGivenTwiceWatchesOnce(Path java) throws Exception {
    ChildJvm.Result r = run(java, List.of("", "stackDepth=4"), ReconnectLoop.class);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).contains("[redial-agent] already active in this JVM");
    assertThat(r.reports()).as(r.stderr()).hasSize(3)
        .allMatch(b -> b.pattern().equals("DOUBLE_CONNECT"));
  }

  private static ReportBlock single(ChildJvm.Result r, String pattern) {
    List<ReportBlock> all = r.reports();
    assertThat(all).as(r.stderr()).hasSize(1);
    assertThat(all.get(0).pattern()).as(r.stderr()).isEqualTo(pattern);
    return all.get(0);
  }

  /** A stack frame at the line of {@code program} marked {@code // MARK: mark}. */
  private static Predicate<String> atMark(Class<?> program, String mark) {
    String frame = "(" + frameOf(program, mark) + ")";
    return f -> f.contains(frame);
  }
}
