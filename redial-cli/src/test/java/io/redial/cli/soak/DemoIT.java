package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code redial demo} run from the shaded jar, short, as CI runs it. */
class DemoIT {
  private static final long SEED = 20_261_121L;

  @TempDir Path dir;

  @Test
  void shortRunHoldsEveryInvariantAndReportsEveryFault() throws Exception {
    Path report = dir.resolve("reports/demo.html");
    DemoProcess r = DemoProcess.run(dir, List.of(), "--duration", "8s", "--connections", "8",
        "--seed", String.valueOf(SEED), "--report", report.toString());

    assertThat(r.exit()).as("exit status; stdout:\n%s\nstderr:\n%s", r.out(), r.err()).isZero();
    assertThat(r.out()).contains("PASS: every invariant held")
        .doesNotContain("\u001b"); // piped: plain lines, no colour, no cursor movement
    assertThat(r.verdict("frames sent")).isPositive();
    assertThat(r.verdict("frames echoed")).isEqualTo(r.verdict("frames sent"));
    for (String invariant : List.of("lost", "duplicated", "out of order", "double connects")) {
      assertThat(r.verdict(invariant)).as(invariant).isZero();
    }
    if (Files.isDirectory(Path.of("/proc/self/fd"))) {
      assertThat(r.verdict("leaked sockets")).isZero();
    }
    assertThat(r.verdict("reconnects")).as("the faults forced reconnects").isGreaterThanOrEqualTo(8);
    assertThat(r.out()).containsPattern("blackhole detected in +[0-9.]+ s +longest of [1-8]/8");
    // Plain periodic lines while it ran.
    assertThat(r.out().lines().filter(l -> l.matches("\\[ *[0-9.]+s/8\\.0s\\] .*"))).hasSizeGreaterThan(3);

    Schedule schedule = Schedule.scripted(SEED, Duration.ofSeconds(8));
    String html = Files.readString(report);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("PASS", "new Chart(", "Chart.js v4")
        .doesNotContain("<script src");
    for (Step step : schedule.steps()) {
      assertThat(html).as("the report names %s", step.label()).contains(step.label());
      assertThat(r.out()).as("the run lists %s", step.label()).contains(step.label());
    }
    for (Step step : schedule.steps()) {
      assertThat(html).contains(step.kind().title());
    }
    for (int i = 0; i < 8; i++) {
      assertThat(html).contains(String.format("\"demo-%02d\"", i));
    }
  }

  /** A bare number is seconds; five of them fit every fault. */
  @Test
  void fiveSecondsGivenAsABareNumberRunFiveSeconds() throws Exception {
    long started = System.nanoTime();
    DemoProcess r = DemoProcess.run(dir, List.of(), "--duration", "5", "--connections", "4",
        "--seed", "5");
    assertThat(r.exit()).as("stdout:\n%s\nstderr:\n%s", r.out(), r.err()).isZero();
    assertThat(r.out()).contains(", 5s, seed 5", "PASS: every invariant held");
    assertThat(r.out().lines().filter(l -> l.matches("\\[ *[0-9.]+s/5\\.0s\\] .*"))).isNotEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void sameSeedPrintsTheSameSchedule() throws Exception {
    DemoProcess r = DemoProcess.run(dir, List.of(), "--duration", "8s", "--connections", "2",
        "--seed", "99");
    assertThat(r.exit()).as(r.out()).isZero();
    Schedule schedule = Schedule.scripted(99, Duration.ofSeconds(8));
    List<String> printed = r.out().lines().filter(l -> l.matches(" +[0-9.]+s  .*")).toList();
    assertThat(printed).hasSize(schedule.steps().size());
    for (int i = 0; i < printed.size(); i++) {
      assertThat(printed.get(i)).contains(schedule.steps().get(i).label());
    }
  }
}
