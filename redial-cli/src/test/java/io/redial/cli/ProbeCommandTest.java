package io.redial.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** {@code redial probe} against real loopback servers started here. */
class ProbeCommandTest {
  @Test
  void aServerThatSpeaksFirstIsReachableWithEveryStepTimed() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
      Thread greeter = new Thread(() -> {
        try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
          out.write("220 hello\r\n".getBytes());
          out.flush();
          s.getInputStream().read(); // until the probe hangs up
        } catch (Exception ignored) {
          // the probe closed
        }
      });
      greeter.setDaemon(true);
      greeter.start();
      CliRun r = CliRun.run("probe", "127.0.0.1:" + server.getLocalPort(), "--timeout", "5s");
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      assertThat(r.out())
          .containsPattern("resolve +[0-9.]+ ms +127.0.0.1 -> 127.0.0.1")
          .containsPattern("connect +[0-9.]+ ms +connected")
          .containsPattern("first byte +[0-9.]+ ms +11 bytes arrived")
          .contains("verdict      reachable");
    }
  }

  @Test
  void aRefusedPortIsExplainedFromTheCatalog() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      port = s.getLocalPort();
    } // closed: nothing listens there now
    CliRun r = CliRun.run("probe", "127.0.0.1:" + port, "--timeout", "2s");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out())
        .contains("error        WSAECONNREFUSED")
        .contains("Fix:")
        .contains("verdict      unreachable");
  }

  @Test
  void aNameThatDoesNotResolveIsExplained() {
    // the test JVM resolves from a loopback-only hosts file: no DNS query leaves the machine
    CliRun r = CliRun.run("probe", "no-such-host.invalid:80", "--timeout", "1s");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("resolve").contains("WSAHOST_NOT_FOUND");
  }

  @Test
  void badTargetsAreUsageErrors() {
    for (String bad : new String[] {"nohostport", "host:", ":80", "127.0.0.1:0", "127.0.0.1:65536",
        "127.0.0.1:http"}) {
      CliRun r = CliRun.run("probe", bad);
      assertThat(r.exit()).as(bad).isEqualTo(RedialCommand.EXIT_USAGE);
      assertThat(r.err()).as(bad).containsAnyOf("HOST:PORT", "port must be in 1..65535");
      assertThat(r.err()).doesNotContain("Exception");
    }
    CliRun r = CliRun.run("probe", "127.0.0.1:80", "--timeout", "soon");
    assertThat(r.exit()).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(r.err()).contains("not a duration");
  }
}
