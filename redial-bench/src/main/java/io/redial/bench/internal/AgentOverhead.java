package io.redial.bench.internal;

import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Figure 8: {@link AgentLoop} in child JVMs with and without {@code -javaagent}, in pairs
 * without/with, then with/without, so that drift on the shared machine cancels.
 */
public final class AgentOverhead {
  private AgentOverhead() {}

  public static void run(Plan plan, Results results, LongSupplier nanos, Path agentJar, Path outDir)
      throws Exception {
    if (agentJar == null || !Files.isRegularFile(agentJar)) {
      results.add(new Figure("8.agent", "Agent overhead on a connect+close loop", "µs/op",
          Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "", Figure.Verdict.SKIPPED,
          "agent jar not found: " + agentJar + " (build redial-agent first)"));
      return;
    }
    Path report = outDir.resolve("agent-report.jsonl");
    double[] with = new double[plan.agentPairs()];
    double[] without = new double[plan.agentPairs()];
    try (EchoServer server = EchoServer.start(EchoMode.RAW)) {
      String host = server.address().getAddress().getHostAddress();
      String port = Integer.toString(server.address().getPort());
      for (int i = 0; i < plan.agentPairs(); i++) {
        boolean agentFirst = i % 2 == 1;
        for (int k = 0; k < 2; k++) {
          boolean agent = (k == 0) == agentFirst;
          double ns = child(agent ? "-javaagent:" + agentJar.toAbsolutePath() + "=report=file:"
              + report.toAbsolutePath() : null, host, port, plan.agentIterations());
          (agent ? with : without)[i] = ns / 1000.0;
        }
        System.out.printf("  agent pair %d: without %.1f µs, with %.1f µs per connect+close%n",
            i + 1, without[i], with[i]);
      }
    }
    Stats w = Stats.of(with);
    Stats wo = Stats.of(without);
    results.add(Figure.ratio("8.agent", "Agent overhead: connect+close loop with -javaagent vs "
            + "without (Socket and SocketChannel)", "µs/op", w, wo, Stats.ratios(with, without),
        "", Figure.Verdict.INFO, "here \"Redial\" is the loop with the agent, the baseline the "
            + "same loop without it; " + plan.agentIterations() + " iterations × 5 rounds per JVM"));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("withAgentMicros", with);
    d.put("withoutAgentMicros", without);
    d.put("agentJar", agentJar.toString());
    results.detail("agentOverhead", d);
  }

  private static double child(String agentArg, String host, String port, int iterations)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    if (agentArg != null) {
      cmd.add(agentArg);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(AgentLoop.class.getName());
    cmd.add(host);
    cmd.add(port);
    cmd.add(Integer.toString(iterations));
    cmd.add("5");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (lines.size() < 1_000) { // keep reading, so the child never blocks on a full pipe
          lines.add(line);
        }
      }
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("agent loop did not finish within 120 s");
    }
    for (String line : lines) {
      if (line.startsWith("RESULT ")) {
        return Double.parseDouble(line.substring(7).strip());
      }
    }
    throw new IOException("agent loop (" + (agentArg == null ? "without" : "with")
        + " agent) printed no RESULT; exit " + p.exitValue() + "; output: " + lines);
  }
}
