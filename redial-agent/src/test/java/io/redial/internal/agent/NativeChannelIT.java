package io.redial.internal.agent;

import static io.redial.internal.agent.ChildJvm.frameOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.redial.agent.programs.EpollMisuse;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Netty's epoll channels, which never reach a JDK socket class: the agent follows them at their
 * Java level. Each program runs in a child JVM with the agent, on every available JDK.
 */
class NativeChannelIT {

  static Stream<Path> javas() {
    return ChildJvm.javas();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void connectingAnActiveEpollChannelAgainIsADoubleConnect(Path java) throws Exception {
    ChildJvm.Result r = ChildJvm.runWith(java, "", EpollMisuse.class, "double");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).containsPattern("second connect: .*AlreadyConnectedException");
    List<ReportBlock> reports = r.reports("DOUBLE_CONNECT");
    assertThat(reports).as(r.stderr()).hasSize(1);
    assertThat(reports.get(0).text())
        .contains("connect() on io.netty.channel.epoll.AbstractEpollChannel#")
        .contains("which is already connected");
    // The channel's one recorded stack is its open's, on the caller's thread inside
    // Bootstrap.connect: it names the program's line, where the connect's own stack (run on the
    // event loop) could not.
    assertThat(reports.get(0).stack("opened")).anyMatch(
        f -> f.contains("(" + frameOf(EpollMisuse.class, "first-connect") + ")"));
    assertThat(reports.get(0).stack("first connect")).isEmpty();
    assertThat(r.summary()).contains("DOUBLE_CONNECT=1", "CONNECT_PENDING=0", "LEAKED_SOCKET=0");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void connectingAClosedEpollChannelIsAConnectAfterClose(Path java) throws Exception {
    ChildJvm.Result r = ChildJvm.runWith(java, "", EpollMisuse.class, "closed");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).containsPattern("connect after close: .*Closed");
    assertThat(r.reports("CONNECT_AFTER_CLOSE")).as(r.stderr()).hasSize(1);
    assertThat(r.summary()).contains("CONNECT_AFTER_CLOSE=1", "DOUBLE_CONNECT=0");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void anEpollChannelDroppedWithoutCloseIsALeakAtItsOpeningLine(Path java) throws Exception {
    ChildJvm.Result r = ChildJvm.runWith(java, "", EpollMisuse.class, "leak");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    List<ReportBlock> leaks = r.reports("LEAKED_SOCKET");
    assertThat(leaks).as(r.stderr()).hasSize(20); // EpollMisuse.LEAKS
    String open = frameOf(EpollMisuse.class, "open");
    assertThat(leaks).allSatisfy(b -> assertThat(b.stack("opened"))
        .anyMatch(f -> f.contains("(" + open + ")")));
    assertThat(leaks.get(0).text()).contains("A Netty native channel has no cleaner");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void aCleanEpollClientReportsNothing(Path java) throws Exception {
    ChildJvm.Result r = ChildJvm.runWith(java, "", EpollMisuse.class, "clean");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("clean done");
    assertThat(r.reports()).as(r.stderr()).isEmpty();
    assertThat(r.summary()).contains("no socket misuse seen");
    assertThat(r.stderr()).doesNotContain("INTERNAL ERROR");
  }
}
