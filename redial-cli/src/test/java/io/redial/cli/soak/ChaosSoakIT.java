package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.redial.cli.RedialCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The soak in the default suite: 20 connections, 10 s of faults, a fixed seed; and its request
 * mode on 8 connections for as long. The {@code chaos}
 * Maven profile runs it for 60 s ({@code -Dredial.chaos.duration=60s}); {@code
 * -Dredial.chaos.seed=N} replays a seed a failure printed.
 */
class ChaosSoakIT {
  static {
    // Before anything in this JVM loads Netty; the other ITs of this module run the jar apart.
    ChaosRun.disableNettyObjectPools();
  }

  private static final long SEED = Long.getLong("redial.chaos.seed", 20_261_121L);
  private static final Duration DURATION =
      Duration.parse("PT" + System.getProperty("redial.chaos.duration", "10s"));
  private static final int CONNECTIONS = Integer.getInteger("redial.chaos.connections", 20);

  @Test
  void everyInvariantHoldsThroughSeededFaults() throws Exception {
    StringWriter log = new StringWriter();
    Soak.Outcome outcome =
        new ChaosRun(new ChaosRun.Options(CONNECTIONS, DURATION, SEED), new PrintWriter(log)).soak();
    Verdict verdict = outcome.verdict();
    String report = log + String.join("\n", verdict.lines());
    assertThat(log.toString()).as("Netty's object pools were off").doesNotContain("pools are on");
    System.out.println(report);

    assertThat(number(verdict, "frames sent")).as(report).isGreaterThan(CONNECTIONS * 100L);
    assertThat(number(verdict, "reconnects")).as("the faults broke connections\n" + report)
        .isGreaterThan(CONNECTIONS);
    // The heap was measured and judged, with none of the connections' transitions held for a
    // report (they grow with the run and counted as heap growth).
    assertThat(verdict.lines()).as(report)
        .anyMatch(l -> l.startsWith("  heap after GC ") && l.endsWith(" ok"));
    assertThat(outcome.rows()).as("rows of transitions kept by the chaos soak").isEmpty();
    assertThat(verdict.passed()).as(report).isTrue();
  }

  /** A count from the verdict's first line: "frames sent N, echoed N, re-sent N, reconnects N". */
  private static long number(Verdict verdict, String name) {
    Matcher m = Pattern.compile(name + " ([0-9]+)").matcher(verdict.lines().get(0));
    assertThat(m.find()).as(verdict.lines().get(0)).isTrue();
    return Long.parseLong(m.group(1));
  }

  /**
   * The request mode through the command: a HELLO handshake on every new channel, requests and
   * replies, 10 s of the same kind of faults on a few connections.
   */
  @Test
  void theRequestModeHoldsThroughSeededFaults() {
    CommandLine cl = RedialCommand.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    int exit = cl.execute("chaos", "--requests", "--connections", "8", "--duration",
        DURATION.toSeconds() + "s", "--seed", String.valueOf(SEED));
    String report = out.toString();
    System.out.println(report);

    assertThat(report).as(report).contains(
        "redial chaos: requests",
        "  replies to the wrong request   0  ok",
        "  requests hung                  0  ok",
        "  requests lost, no clear error  0  ok",
        "  generations not handshaken     0  ok",
        "PASS (seed " + SEED + ";");
    assertThat(count(report, "requests sent")).as(report).isGreaterThan(8 * 100L);
    assertThat(count(report, "replies")).as(report).isGreaterThan(0);
    assertThat(count(report, "handshakes")).as("the faults made connections handshake again\n"
        + report).isGreaterThan(8);
    assertThat(count(report, "failed with a clear error")).as("the faults failed requests\n"
        + report).isGreaterThan(0);
    assertThat(exit).as(report).isZero();
  }

  private static long count(String report, String name) {
    Matcher m = Pattern.compile(name + " ([0-9]+)").matcher(report);
    assertThat(m.find()).as(name + " in\n" + report).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void theCommandPrintsItsSeedAndExitsZeroWhenEverythingHeld() {
    CommandLine cl = RedialCommand.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    int exit = cl.execute("chaos", "--connections", "4", "--duration", "2s", "--seed", "77");
    assertThat(out.toString()).as(out.toString())
        .contains("redial chaos: 4 connections", "seed 77\n", "PASS (seed 77;");
    assertThat(exit).as(out.toString()).isZero();
  }
}
