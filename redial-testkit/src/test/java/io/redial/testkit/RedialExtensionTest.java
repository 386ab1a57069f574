package io.redial.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;

/**
 * The extension, tested by running small test classes through the JUnit Platform. The nested
 * classes are not picked up by the normal test run (Surefire skips nested classes).
 */
class RedialExtensionTest {
  /** Sockets the deliberately leaky tests leave open; closed here so this test itself leaks nothing. */
  static final List<AutoCloseable> LEAKED = new ArrayList<>();
  static final List<Object> SEEN = new ArrayList<>();

  @AfterEach
  void closeLeaks() throws Exception {
    for (AutoCloseable c : LEAKED) {
      c.close();
    }
    LEAKED.clear();
    SEEN.clear();
  }

  @Test
  void injectsOneProxyInFrontOfOneEchoServerPerTestAndClosesThem() {
    Map<String, TestExecutionResult> results = Launch.run(Clean.class);
    assertThat(results).hasSize(2);
    results.values().forEach(r -> assertThat(r.getStatus()).as(Launch.describe(r)).isEqualTo(TestExecutionResult.Status.SUCCESSFUL));
    // Two tests, each saw its own pair; both closed afterwards.
    assertThat(SEEN).hasSize(4);
    FaultProxy first = (FaultProxy) SEEN.get(0);
    FaultProxy second = (FaultProxy) SEEN.get(2);
    assertThat(first).isNotSameAs(second);
    assertThat(first.listenAddress()).isNotNull();
    EchoServer firstEcho = (EchoServer) SEEN.get(1);
    assertThat(firstEcho.isRunning()).isFalse();
    assertThat(firstEcho.mode()).isEqualTo(EchoMode.LINES);
  }

  @Test
  void failsATestThatLeavesAProxiedConnectionOpen() {
    TestExecutionResult r = Launch.run(LeaksAProxiedConnection.class).get("leaves");
    assertThat(r.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
    assertThat(Launch.describe(r))
        .contains("1 proxied connection(s) still open at the end of the test")
        .contains("the client under test did not close its socket");
  }

  @Test
  void failsATestThatLeavesAnyOtherSocketOpen() {
    TestExecutionResult r = Launch.run(LeaksAListener.class).get("leaves");
    assertThat(r.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
    assertThat(Launch.describe(r)).contains("1 socket(s) opened during the test are still open");
  }

  @RedialTest
  @Echo(EchoMode.LINES)
  static class Clean {
    private FaultProxy fromBeforeEach;

    @BeforeEach
    void before(FaultProxy proxy) {
      fromBeforeEach = proxy;
    }

    @Test
    void first(FaultProxy proxy, EchoServer echo) throws IOException {
      check(proxy, echo);
    }

    @Test
    void second(FaultProxy proxy, @Echo(EchoMode.LINES) EchoServer echo) throws IOException {
      check(proxy, echo);
    }

    private void check(FaultProxy proxy, EchoServer echo) throws IOException {
      assertThat(proxy).isSameAs(fromBeforeEach);
      assertThat(proxy.upstream()).isEqualTo(echo.address());
      try (Socket s = Wire.connect(proxy.listenAddress())) {
        s.getOutputStream().write("x\n".getBytes());
        assertThat(Wire.readExactly(s, 2)).isEqualTo("x\n".getBytes());
      }
      SEEN.add(proxy);
      SEEN.add(echo);
    }
  }

  @RedialTest
  static class LeaksAProxiedConnection {
    @Test
    void leaves(FaultProxy proxy) throws IOException {
      LEAKED.add(Wire.connect(proxy.listenAddress()));
    }
  }

  @RedialTest
  static class LeaksAListener {
    @Test
    void leaves() throws IOException {
      LEAKED.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      assertThat(new InetSocketAddress(0).getPort()).isZero();
    }
  }
}
