package io.redial.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Runs a test program in a fresh JVM with the agent and captures what it printed. */
final class ChildJvm {
  /** The newer JDK the machine image may ship; the suite runs on it too when it is there. */
  static final Path NEWER_JDK = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
  static final long TIMEOUT_SECONDS = 60;

  /** What a child JVM left behind. */
  record Result(int exitCode, String stdout, String stderr) {
    List<ReportBlock> reports() {
      return ReportBlock.parse(stderr);
    }

    List<ReportBlock> reports(String pattern) {
      return reports().stream().filter(r -> r.pattern().equals(pattern)).toList();
    }

    /** The summary line the agent prints at exit. */
    String summary() {
      return stderr.lines().filter(l -> l.startsWith("[redial-agent] summary:")).findFirst()
          .orElseThrow(() -> new AssertionError("no summary in stderr:\n" + stderr));
    }
  }

  private ChildJvm() {}

  /** The java launchers to test with: the one running the tests, and the newer JDK if present. */
  static Stream<Path> javas() {
    List<Path> javas = new ArrayList<>();
    javas.add(Path.of(System.getProperty("java.home"), "bin", "java"));
    Path newer = NEWER_JDK.resolve("bin/java");
    if (Files.isExecutable(newer)) {
      javas.add(newer);
    }
    return javas.stream();
  }

  static Path agentJar() {
    String jar = System.getProperty("redial.agent.jar");
    assertThat(jar).as("system property redial.agent.jar (set by the failsafe configuration)")
        .isNotBlank();
    Path path = Path.of(jar);
    assertThat(path).as("the shaded agent jar; run `mvn verify`, which packages it first")
        .isRegularFile();
    return path;
  }

  /**
   * The program's class path: the test classes and Netty, but not the agent's own classes or
   * its unshaded dependencies, which the agent jar brings (relocated) itself.
   */
  static String programClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> e.endsWith("test-classes")
            || Path.of(e).getFileName().toString().startsWith("netty-"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** One {@code -javaagent} with {@code agentArgs} as its options ("" for none). */
  static Result run(Path java, String agentArgs, Class<?> program)
      throws IOException, InterruptedException {
    return run(java, List.of(agentArgs), program);
  }

  /** One {@code -javaagent} per entry of {@code agentArgs} ("" for no options). */
  static Result run(Path java, List<String> agentArgs, Class<?> program)
      throws IOException, InterruptedException {
    return run(java, agentArgs, program, false);
  }

  /** One {@code -javaagent} with {@code agentArgs}; {@code programArgs} go to its main. */
  static Result runWith(Path java, String agentArgs, Class<?> program, String... programArgs)
      throws IOException, InterruptedException {
    return run(java, List.of(agentArgs), program, false, programArgs);
  }

  /**
   * Like {@link #run(Path, String, Class)}, with stderr and stdout in one stream, in the order
   * they were written: both {@code stdout()} and {@code stderr()} of the result hold it.
   */
  static Result runMerged(Path java, Class<?> program) throws IOException, InterruptedException {
    return run(java, List.of(""), program, true);
  }

  private static Result run(Path java, List<String> agentArgs, Class<?> program, boolean merge,
      String... programArgs) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m"));
    String hosts = System.getProperty("jdk.net.hosts.file");
    if (hosts != null) {
      // Like the test JVM itself, the program resolves names from the loopback-only hosts file.
      command.add("-Djdk.net.hosts.file=" + hosts);
    }
    for (String args : agentArgs) {
      command.add("-javaagent:" + agentJar() + (args.isEmpty() ? "" : "=" + args));
    }
    command.addAll(List.of("-cp", programClassPath(), program.getName()));
    command.addAll(List.of(programArgs));
    Path out = Files.createTempFile("redial-agent-it", ".out");
    Path err = Files.createTempFile("redial-agent-it", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile());
      if (merge) {
        builder.redirectErrorStream(true);
      } else {
        builder.redirectError(err.toFile());
      }
      Process p = builder.start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(program.getSimpleName() + " on " + java + " did not finish in "
            + TIMEOUT_SECONDS + " s; stderr:\n" + Files.readString(err));
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      return new Result(p.exitValue(), stdout,
          merge ? stdout : Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * The 1-based line of the program's source that carries {@code // MARK: name}, as it appears
   * in a stack frame: {@code ReconnectLoop.java:17}.
   */
  static String frameOf(Class<?> program, String mark) {
    Path source = Path.of("src/test/java", program.getName().replace('.', '/') + ".java");
    List<String> lines;
    try {
      lines = Files.readAllLines(source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int found = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).endsWith("// MARK: " + mark)) {
        assertThat(found).as("mark %s appears twice in %s", mark, source).isEqualTo(-1);
        found = i + 1;
      }
    }
    assertThat(found).as("mark %s in %s", mark, source).isPositive();
    return program.getSimpleName() + ".java:" + found;
  }
}
