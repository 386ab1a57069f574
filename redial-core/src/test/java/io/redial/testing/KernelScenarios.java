package io.redial.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.testkit.NetNamespace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link KernelScenarioMain} scenario in a fresh {@link NetNamespace} and returns what it
 * printed; the namespace is deleted afterwards, whatever happened, and the test checks it is.
 */
public final class KernelScenarios {
  private KernelScenarios() {}

  /**
   * @param limitSeconds the child's own time limit; the parent waits a little longer
   * @param args the scenario's name and parameters
   * @return the child's {@code key=value} lines; fails when the child did not finish cleanly or
   *     Netty's leak detector (paranoid) reported a leak
   */
  public static Map<String, String> run(long limitSeconds, String... args) throws Exception {
    List<String> all = new ArrayList<>();
    all.add(args[0]);
    all.add(Long.toString(limitSeconds));
    all.addAll(List.of(args).subList(1, args.length));
    Map<String, String> seen = new LinkedHashMap<>();
    StringBuilder output = new StringBuilder();
    String name;
    int status;
    try (NetNamespace ns = NetNamespace.create()) {
      name = ns.name();
      Process p = ns.java(List.of("-Xmx256m", "-XX:+UseSerialGC",
              "-Dio.netty.leakDetection.level=paranoid",
              "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
          KernelScenarioMain.class.getName(), all).redirectErrorStream(true).start();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        // bounded: the child halts itself after limitSeconds, which ends this stream
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          output.append(line).append('\n');
          System.out.println("  [" + args[0] + "] " + line);
          int eq = line.indexOf('=');
          if (eq > 0 && line.indexOf(' ') < 0) {
            seen.put(line.substring(0, eq), line.substring(eq + 1));
          }
        }
        if (!p.waitFor(limitSeconds + 30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
        status = p.isAlive() ? -1 : p.exitValue();
      } finally {
        p.getOutputStream().close();
      }
    }
    assertThat(namespaces()).as("namespace deleted").doesNotContain(name);
    assertThat(status).as("the scenario's exit status; it printed:%n%s", output).isZero();
    assertThat(seen).as("it printed:%n%s", output).containsEntry("done", "true");
    assertThat(output.toString()).as("Netty's leak detector").doesNotContain("LEAK:");
    return seen;
  }

  private static List<String> namespaces() throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out.lines().map(l -> l.strip().split("\\s+")[0]).toList();
  }
}
