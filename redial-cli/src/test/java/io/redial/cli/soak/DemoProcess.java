package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java [jvmArgs] -jar redial.jar demo …} as a real process, as a user would run it. */
record DemoProcess(int exit, String out, String err) {

  /** The run's bound: the duration, the demo's bounded shutdown, and JVM start-up with margin. */
  static DemoProcess run(Path dir, List<String> jvmArgs, String... args)
      throws IOException, InterruptedException {
    String jar = System.getProperty("redial.jar");
    assertThat(jar).as("system property redial.jar (set by failsafe)").isNotNull();
    assertThat(Path.of(jar)).as("the shaded jar; run 'mvn package' first").isRegularFile();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar);
    command.add("demo");
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    long bound = 8 + DemoRun.MAX_SHUTDOWN.toSeconds() + 40;
    for (String a : args) {
      if (a.matches("[0-9]+s")) {
        bound += Long.parseLong(a.substring(0, a.length() - 1));
      }
    }
    if (!p.waitFor(bound, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("redial demo " + String.join(" ", args) + " did not finish in "
          + bound + " s; output so far:\n" + Files.readString(out));
    }
    return new DemoProcess(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** The number on the verdict row {@code name}, e.g. {@code lost}. */
  long verdict(String name) {
    return out.lines().filter(l -> l.startsWith("  " + name + " "))
        .map(l -> l.substring(2 + name.length()).strip().split("\\s+")[0])
        .map(Long::parseLong).findFirst()
        .orElseThrow(() -> new AssertionError("no verdict row '" + name + "' in:\n" + out));
  }
}
