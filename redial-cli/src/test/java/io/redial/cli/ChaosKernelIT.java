package io.redial.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code redial chaos --kernel} through the shaded jar, as root: the soak runs again in a
 * network namespace with nftables faults in its schedule, every invariant holds, and nothing of
 * it is left behind.
 */
class ChaosKernelIT {
  @TempDir Path dir;

  record Result(int exit, String out) {}

  private Result run(List<String> prefix, String... args) throws Exception {
    String jar = System.getProperty("redial.jar");
    assertThat(jar).as("system property redial.jar (set by failsafe)").isNotNull();
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-jar", jar));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    out.toFile().setReadable(true, false);
    out.toFile().setWritable(true, false);
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    System.out.println(text);
    assertThat(p.isAlive()).as("still running after 180 s:%n%s", text).isFalse();
    return new Result(p.exitValue(), text);
  }

  @Test
  void kernelFaultsAndRequestsTogetherHoldEveryInvariantAndLeaveNoNamespace() throws Exception {
    Result r = run(List.of(), "chaos", "--kernel", "--requests", "--connections", "10",
        "--duration", "8s", "--seed", "1919");
    assertThat(r.out()).contains("running in network namespace redial-",
        "kernel faults too (nftables on the proxy's port",
        "redial chaos: requests",
        "  replies to the wrong request   0  ok",
        "PASS (seed 1919;");
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(namespaces()).noneMatch(n -> r.out().contains("namespace " + n));
  }

  @Test
  void kernelFaultsUnderNumberedFramesHoldEveryInvariant() throws Exception {
    Result r = run(List.of(), "chaos", "--kernel", "--connections", "20", "--duration", "8s",
        "--seed", "2020");
    assertThat(r.out()).contains("kernel faults too", "PASS (seed 2020;");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\): ([0-9]+) of the faults")
        .matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    assertThat(Integer.parseInt(m.group(1))).as("kernel faults played").isGreaterThan(3);
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(namespaces()).noneMatch(n -> r.out().contains("namespace " + n));
  }

  @Test
  void withoutRootKernelIsAUsageErrorThatSaysWhy() throws Exception {
    // the unprivileged user every Debian system has; the jar and java must be readable to it
    Result r = run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"),
        "chaos", "--kernel", "--duration", "1s");
    assertThat(r.out()).contains("--kernel: kernel faults need root");
    assertThat(r.exit()).isEqualTo(RedialCommand.EXIT_USAGE);
  }

  private static List<String> namespaces() throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out.lines().map(l -> l.strip().split("\\s+")[0]).toList();
  }
}
