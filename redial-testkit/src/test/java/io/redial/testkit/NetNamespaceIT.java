package io.redial.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redial.testkit.internal.Commands;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real namespaces and real nftables rules (root, {@code ip} and {@code nft}: scripts/test
 * installs them; without them these tests fail, naming what is missing).
 */
class NetNamespaceIT {
  @Test
  void aNamespaceHasOnlyItsLoopbackUpAndIsGoneAfterClose() {
    String name;
    try (NetNamespace ns = NetNamespace.create()) {
      name = ns.name();
      assertThat(name).matches("redial-\\d+-\\d+");
      assertThat(namespaces()).contains(name);
      String addresses = Commands.run(List.of("ip", "-n", name, "-o", "addr"), null);
      assertThat(addresses).contains("lo", "127.0.0.1/8", "::1/128");
      assertThat(addresses.lines()).allMatch(l -> l.contains(" lo "));
      assertThat(Commands.run(List.of("ip", "-n", name, "link", "show", "lo"), null))
          .contains("UP");
      ns.close();
      ns.close(); // twice: nothing
    }
    assertThat(namespaces()).doesNotContain(name);
  }

  @Test
  void rulesAreAddedAndRemovedOneByOne() {
    try (NetNamespace ns = NetNamespace.create()) {
      KernelFaults faults = ns.faults();
      KernelFaults.Rule hole = faults.blackhole(4000);
      KernelFaults.Rule loss = faults.loss(4001, 10);
      String rules = faults.list();
      assertThat(rules).contains("tcp dport 4000 drop", "tcp sport 4000 drop",
          "tcp dport 4001 numgen random mod 100 < 10 drop");
      hole.close();
      hole.close();
      assertThat(faults.list()).doesNotContain("4000").contains("4001");
      loss.close();
      assertThat(faults.list()).doesNotContain("tcp");
      faults.reset(4002);
      faults.clear();
      assertThat(faults.list()).doesNotContain("tcp");
      // the host's own ruleset never got a redial table
      assertThat(Commands.run(List.of("nft", "list", "tables"), null)).doesNotContain("redial");
    }
  }

  @Test
  void aJvmInsideSeesTheKernelRefuseResetAndSwallowItsConnections() throws Exception {
    try (NetNamespace ns = NetNamespace.create()) {
      Map<String, String> seen = run(ns.java(List.of("-Xmx64m"), NamespaceChild.class.getName(),
          List.of("probe")));
      assertThat(seen).containsEntry("current", ns.name())
          .containsEntry("plain", "ok")
          .containsEntry("reset", "ConnectException") // the SYN is answered with a reset
          .containsEntry("blackhole", "SocketTimeoutException") // the SYN is never answered
          .containsEntry("downstream", "SocketTimeoutException") // the SYN-ACK never arrives
          .containsEntry("after", "ok")
          .containsEntry("rules", "false");
    }
  }

  @Test
  void theShutdownHookDeletesANamespaceLeftOpen() throws Exception {
    Map<String, String> seen = run(new ProcessBuilder(java(), "-Xmx64m", "-cp",
        System.getProperty("java.class.path"), NamespaceChild.class.getName(), "create", "exit"));
    assertThat(seen.get("name")).matches("redial-\\d+-\\d+");
    assertThat(namespaces()).doesNotContain(seen.get("name"));
  }

  @Test
  void aNamespaceOfAKilledCreatorIsSweptByTheNextCreate() throws Exception {
    Process p = new ProcessBuilder(java(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        NamespaceChild.class.getName(), "create", "wait").redirectErrorStream(true).start();
    String name;
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).startsWith("name=");
      name = line.substring("name=".length());
      assertThat(namespaces()).contains(name);
    } finally {
      p.destroyForcibly(); // SIGKILL: no shutdown hook runs
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(namespaces()).as("left behind by the kill").contains(name);
    try (NetNamespace ns = NetNamespace.create()) {
      assertThat(namespaces()).doesNotContain(name).contains(ns.name());
    }
  }

  @Test
  void aNamespaceWithAProcessInsideIsDeletedAndTheProcessKilled() throws Exception {
    Process sleeper;
    String name;
    try (NetNamespace ns = NetNamespace.create()) {
      name = ns.name();
      sleeper = ns.command(List.of("sleep", "120")).start();
      await().atMost(Duration.ofSeconds(10)).until(() -> !Commands.run(
          List.of("ip", "netns", "pids", name), null).isBlank());
    }
    assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(namespaces()).doesNotContain(name);
  }

  private static String java() {
    return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs a child to its end (bounded); its {@code key=value} lines. */
  private static Map<String, String> run(ProcessBuilder pb) throws IOException, InterruptedException {
    Process p = pb.redirectErrorStream(true).start();
    Map<String, String> seen = new LinkedHashMap<>();
    StringBuilder all = new StringBuilder();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        all.append(line).append('\n');
        int eq = line.indexOf('=');
        if (eq > 0 && !line.contains(" ")) {
          seen.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    } finally {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    assertThat(p.exitValue()).as("the child's exit status; it printed:%n%s", all).isZero();
    return seen;
  }

  private static List<String> namespaces() {
    return Commands.run(List.of("ip", "netns", "list"), null).lines()
        .map(l -> l.strip().split("\\s+")[0]).toList();
  }
}
