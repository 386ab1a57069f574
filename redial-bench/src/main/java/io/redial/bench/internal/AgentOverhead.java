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
 * Figure 8: {@link AgentLoop} in child JVMs without the agent, with it as shipped (one stack per
 * socket, at most 1000 stacks a second) and with {@code stackRate=unlimited} (every socket's
 * stack): three JVMs per set, in an order that rotates from set to set so that each arm runs
 * first, second and third equally often and drift on the shared machine cancels. One throw-away
 * JVM runs before the first set: the first child after the echo server starts is slower (by a
 * third or more on the machine this was written on), which used to bias the first pair.
 */
public final class AgentOverhead {
  /** The goal of issue 18 for the agent as shipped. */
  static final double GOAL = 1.10;
  /** The third arm's agent options, on top of the report file. */
  static final String EVERY_STACK = "stackRate=unlimited";

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
    String agent = "-javaagent:" + agentJar.toAbsolutePath() + "=report=file:"
        + report.toAbsolutePath();
    String[] arms = {null, agent, agent + "," + EVERY_STACK};
    int sets = plan.agentPairs();
    double[][] micros = new double[arms.length][sets]; // [arm][set]
    try (EchoServer server = EchoServer.start(EchoMode.RAW)) {
      String host = server.address().getAddress().getHostAddress();
      String port = Integer.toString(server.address().getPort());
      child(null, host, port, plan.agentIterations()); // the throw-away first child
      for (int i = 0; i < sets; i++) {
        for (int k = 0; k < arms.length; k++) {
          int arm = (i + k) % arms.length;
          micros[arm][i] = child(arms[arm], host, port, plan.agentIterations()) / 1000.0;
        }
        System.out.printf("  agent set %d: without %.1f µs, with %.1f µs, every stack %.1f µs"
            + " per connect+close%n", i + 1, micros[0][i], micros[1][i], micros[2][i]);
      }
    }
    Stats without = Stats.of(micros[0]);
    Stats shipped = Stats.ratios(micros[1], micros[0]);
    String how = sets + " sets of three JVMs (without, with, with " + EVERY_STACK + "), order"
        + " rotating; " + plan.agentIterations() + " iterations × 5 rounds per JVM";
    results.add(Figure.ratio("8.agent", "Agent overhead: connect+close loop with -javaagent vs "
            + "without (Socket and SocketChannel)", "µs/op", Stats.of(micros[1]), without,
        shipped, "≤ 1.10", Figure.atMost(shipped.median(), GOAL), "here \"Redial\" is the loop"
            + " with the agent as shipped (one stack per socket, at most 1000 a second), the"
            + " baseline the same loop without it; " + how));
    results.add(Figure.ratio("8.agent.every-stack", "Agent overhead with every socket's stack"
            + " (" + EVERY_STACK + ") vs without", "µs/op", Stats.of(micros[2]), without,
        Stats.ratios(micros[2], micros[0]), "", Figure.Verdict.INFO, "the cost of a stack for"
            + " every socket at this rate (" + Math.round(1e6 / without.median())
            + " sockets a second without the agent); " + how));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("withAgentMicros", micros[1]);
    d.put("withoutAgentMicros", micros[0]);
    d.put("everyStackMicros", micros[2]);
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
