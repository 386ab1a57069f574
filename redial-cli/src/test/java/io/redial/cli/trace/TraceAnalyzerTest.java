package io.redial.cli.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The analyzer on strace output recorded from real runs of the test programs (strace 6.1,
 * {@code -f -k -qq}), and on small hand-made traces for orderings a run rarely shows.
 */
class TraceAnalyzerTest {

  record Run(List<TraceFinding> findings, TraceAnalyzer analyzer) {}

  static Run analyze(BufferedReader in) throws IOException {
    List<TraceFinding> found = new ArrayList<>();
    TraceAnalyzer a = new TraceAnalyzer(found::add);
    new StraceReader(a).readAll(in);
    a.end();
    return new Run(found, a);
  }

  static Run recorded(String name) throws IOException {
    InputStream in = TraceAnalyzerTest.class.getResourceAsStream("recorded/" + name + ".strace");
    assertThat(in).as("recorded/%s.strace", name).isNotNull();
    return analyze(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
  }

  static Run text(String trace) throws IOException {
    return analyze(new BufferedReader(new StringReader(trace)));
  }

  @Test
  void thePagesExampleIsADoubleConnectWithBothStacks() throws IOException {
    Run r = recorded("seed");

    assertThat(r.findings()).hasSize(1);
    TraceFinding f = r.findings().get(0);
    assertThat(f.pattern()).isEqualTo(TracePattern.DOUBLE_CONNECT);
    assertThat(f.first().answer()).isEqualTo("= 0");
    assertThat(f.second().answer())
        .isEqualTo("= -1 EISCONN (Transport endpoint is already connected)");
    assertThat(f.first().stack()).extracting(Frame::function).contains("main");
    assertThat(f.second().stack()).extracting(Frame::binary).contains("/tmp/t18/seed");
    assertThat(f.second().stack().get(1).address()).isNotEqualTo(f.first().stack().get(1).address());
    assertThat(TraceReport.target(f.second())).hasValue("127.0.0.1:33461".replaceAll(":\\d+$",
        ":" + f.second().args().replaceAll(".*htons\\((\\d+)\\).*", "$1")));
    assertThat(r.analyzer().counts()).containsEntry(TracePattern.DOUBLE_CONNECT, 1);
  }

  @Test
  void aNonBlockingConnectCalledAgainIsAConnectWhilePendingEvenWhenTheKernelSaysZero()
      throws IOException {
    Run r = recorded("nonblocking_twice");

    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.pattern()).isEqualTo(TracePattern.CONNECT_PENDING);
      assertThat(f.first().errno()).isEqualTo("EINPROGRESS");
      assertThat(f.second().answer()).isEqualTo("= 0");
    });
  }

  @Test
  void twoThreadsOnOneSocketAreAConnectWhilePendingWithEachThreadsStack() throws IOException {
    Run r = recorded("two_threads");

    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.pattern()).isEqualTo(TracePattern.CONNECT_PENDING);
      assertThat(f.first().pid()).isNotEqualTo(f.second().pid());
      assertThat(f.first().stack()).extracting(Frame::function).contains("connector");
      assertThat(f.second().stack()).extracting(Frame::function).contains("main");
      assertThat(f.second().errno()).isEqualTo("EALREADY");
    });
  }

  @Test
  void aConnectAfterCloseNamesTheClose() throws IOException {
    Run r = recorded("reuse_after_close");

    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.pattern()).isEqualTo(TracePattern.CONNECT_AFTER_CLOSE);
      assertThat(f.firstRole()).isEqualTo("closed");
      assertThat(f.first().name()).isEqualTo("close");
      assertThat(f.second().errno()).isEqualTo("EBADF");
    });
  }

  @Test
  void aReusedDescriptorNumberIsANewSocketNotAReuse() throws IOException {
    Run r = recorded("clean");

    assertThat(r.findings()).isEmpty();
    assertThat(r.analyzer().socketsSeen()).isEqualTo(4);
    assertThat(r.analyzer().stillOpen()).isZero();
  }

  @Test
  void theOrderInWhichStracePrintsResultsDoesNotMatter() throws IOException {
    String trace = """
        100  socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
        100  clone3({flags=CLONE_VM|CLONE_FILES|CLONE_THREAD}, 88) = 101
        101  connect(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16 <unfinished ...>
        100  connect(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16 <unfinished ...>
        100  <... connect resumed>)            = -1 EALREADY (Operation already in progress)
         > /bin/prog(main+0x10) [0x1010]
        101  <... connect resumed>)            = 0
         > /bin/prog(worker+0x10) [0x2010]
        """;
    Run r = text(trace);

    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.pattern()).isEqualTo(TracePattern.CONNECT_PENDING);
      assertThat(f.first().pid()).isEqualTo(101);
      assertThat(f.first().stack()).extracting(Frame::function).containsExactly("worker");
      assertThat(f.second().stack()).extracting(Frame::function).containsExactly("main");
    });
  }

  @Test
  void aForkedChildHasItsOwnCopyOfTheTable() throws IOException {
    // The child closes its copy and opens a new socket under the same number; the parent's
    // socket is still connected, so the parent's second connect is a double connect, and the
    // child's connect on its new socket is not.
    String trace = """
        200  socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
        200  connect(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
        200  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD) = 201
        201  close(3) = 0
        201  socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
        201  connect(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
        200  connect(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EISCONN (Transport endpoint is already connected)
        """;
    Run r = text(trace);

    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.pattern()).isEqualTo(TracePattern.DOUBLE_CONNECT);
      assertThat(f.second().pid()).isEqualTo(200);
      assertThat(f.first()).isNotNull();
      assertThat(f.first().pid()).isEqualTo(200);
    });
  }

  @Test
  void dupKeepsTheSocketOpenUntilItsLastNumberIsClosed() throws IOException {
    String trace = """
        300  socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
        300  fcntl(3, F_DUPFD_CLOEXEC, 20) = 20
        300  close(3) = 0
        300  connect(20, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
        300  dup2(20, 5) = 5
        300  connect(5, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EISCONN (Transport endpoint is already connected)
        """;
    Run r = text(trace);

    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.pattern()).isEqualTo(TracePattern.DOUBLE_CONNECT);
      assertThat(f.first().args()).startsWith("20,");
    });
    assertThat(r.analyzer().socketsSeen()).isEqualTo(1);
    assertThat(r.analyzer().stillOpen()).isEqualTo(1);
  }

  @Test
  void theKernelsAnswerReportsWhatHappenedBeforeTheTraceBegan() throws IOException {
    // Attached with -p: socket 7 was connected before strace came.
    String trace = """
        400  connect(7, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 EISCONN (Transport endpoint is already connected)
        400  connect(8, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EBADF (Bad file descriptor)
        """;
    Run r = text(trace);

    assertThat(r.findings()).extracting(TraceFinding::pattern)
        .containsExactly(TracePattern.DOUBLE_CONNECT, TracePattern.CONNECT_AFTER_CLOSE);
    assertThat(r.findings()).allSatisfy(f -> assertThat(f.first()).isNull());
    assertThat(TraceReport.target(r.findings().get(0).second())).hasValue("[::1]:9");
  }

  @Test
  void aFailedConnectLeavesTheSocketFreeForAnotherTryOnLinux() throws IOException {
    String trace = """
        500  socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
        500  fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
        500  connect(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)
        500  getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
        500  close(3) = 0
        500  socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
        500  connect(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 ECONNREFUSED (Connection refused)
        500  connect(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
        """;
    assertThat(text(trace).findings()).isEmpty();
  }

  @Test
  void aSpinningLoopIsCountedInFullButPrintedOnlyUpToTheCap() throws IOException {
    StringBuilder trace = new StringBuilder();
    trace.append("700  socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n");
    trace.append("700  connect(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr(")
        .append("\"127.0.0.1\")}, 16) = 0\n");
    int again = TraceAnalyzer.MAX_FULL_REPORTS + 5;
    for (int i = 0; i < again; i++) {
      trace.append("700  connect(3, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr(")
          .append("\"127.0.0.1\")}, 16) = -1 EISCONN (Transport endpoint is already connected)\n");
    }
    Run r = text(trace.toString());

    assertThat(r.findings()).hasSize(TraceAnalyzer.MAX_FULL_REPORTS);
    assertThat(r.analyzer().counts()).containsEntry(TracePattern.DOUBLE_CONNECT, again);
  }

  @Test
  void linesItDoesNotKnowAreSkipped() throws IOException {
    String trace = """
        garbage
        600  --- SIGCHLD {si_signo=SIGCHLD} ---
         > stray frame without a call
        600  <... connect resumed>) = 0
        600  +++ exited with 0 +++
        """;
    Run r = text(trace);
    assertThat(r.findings()).isEmpty();
    assertThat(r.analyzer().socketsSeen()).isZero();
  }
}
