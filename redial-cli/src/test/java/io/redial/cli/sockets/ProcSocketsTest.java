package io.redial.cli.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Reading the kernel's socket tables and the agent's answer, from text. */
class ProcSocketsTest {

  @Test
  void addressesAreReadAsTheKernelWritesThem() {
    assertThat(ProcSockets.address("0100007F:1F90")).isEqualTo("127.0.0.1:8080");
    assertThat(ProcSockets.address("00000000000000000000000001000000:1F90"))
        .isEqualTo("[::1]:8080");
    assertThat(ProcSockets.address("0000000000000000FFFF00000100007F:0050"))
        .isEqualTo("127.0.0.1:80"); // IPv4-mapped, as Java shows it
    assertThat(ProcSockets.address("00000000:0000")).isEmpty(); // no remote yet
    assertThat(ProcSockets.address("00000000000000000000000000000000:0000")).isEmpty();
  }

  @Test
  void aTcpLineBecomesARowForItsDescriptor() {
    Map<Integer, ProcSockets.Row> rows = new TreeMap<>();
    ProcSockets.inet("tcp", "   0: 0100007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000"
        + " 00000000  1000        0 424242 1 0000000000000000 20 4 30 10 -1",
        Map.of(424242L, 7), rows);
    ProcSockets.inet("tcp", "   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000"
        + " 00000000  1000        0 999 1 0000000000000000 20 4 30 10 -1",
        Map.of(424242L, 7), rows); // not this process's: skipped

    assertThat(rows.values()).containsExactly(new ProcSockets.Row(7, 424242, "tcp",
        "ESTABLISHED", "127.0.0.1:40000", "127.0.0.1:8080"));
  }

  @Test
  void theAgentsAnswerIsParsedWithStacks() {
    AgentTable.Table t = AgentTable.parse(List.of(
        "socket\tjava.net.Socket#2\tconnected\t127.0.0.1:5\t127.0.0.1:6\t2026-01-01T00:00:00Z"
            + "\t1500\tfalse",
        "\tat app.Main.main(Main.java:9)",
        "\tat app.Main.run(Main.java:3)",
        "socket\tjava.nio.channels.SocketChannel#1\tconnected\t\t\t\t\ttrue",
        "socket\tjava.net.Socket#3\tconnected\t\t\t\t\tfalse",
        "\tstack: not sampled: the agent records at most 9 stacks a second",
        "end\t3"));

    assertThat(t.active()).isTrue();
    assertThat(t.entries()).hasSize(3);
    assertThat(t.entries().get(0).stack())
        .containsExactly("app.Main.main(Main.java:9)", "app.Main.run(Main.java:3)");
    assertThat(t.entries().get(0).ageMillis()).isEqualTo(1500);
    assertThat(t.entries().get(1).beforeAttach()).isTrue();
    assertThat(t.entries().get(1).ageMillis()).isEqualTo(-1);
    assertThat(t.entries().get(0).stackNote()).isNull();
    assertThat(t.entries().get(2).stack()).isEmpty();
    assertThat(t.entries().get(2).stackNote())
        .isEqualTo("not sampled: the agent records at most 9 stacks a second");
    assertThat(AgentTable.parse(List.of("inactive")).active()).isFalse();
  }
}
