package io.redial.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar run as a real process: {@code java -jar target/redial.jar …}. */
class RedialJarIT {

  private static Path jar;

  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  @BeforeAll
  static void findJar() {
    String path = System.getProperty("redial.jar");
    assertThat(path).as("system property redial.jar (set by failsafe)").isNotNull();
    jar = Path.of(path);
    assertThat(jar).as("the shaded jar; run 'mvn package' first").isRegularFile();
  }

  private Result run(Path stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("redial " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private Result run(String... args) throws IOException, InterruptedException {
    return run(null, args);
  }

  @Test
  void explainsFromTheCommandLine() throws Exception {
    Result r = run("explain", "0X00002748");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("WSAEISCONN  10056 · 0x00002748 · HRESULT 0x80072748")
        .doesNotContain("\u001b"); // stdout is a file, not a terminal: no colour
    assertThat(r.err()).isEmpty();
  }

  @Test
  void notFoundExitsOne() throws Exception {
    Result r = run("explain", "no", "such", "error");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("not found: 'no such error'");
  }

  @Test
  void scansStandardInput() throws Exception {
    Path log = Files.writeString(dir.resolve("app.log"), ExplainCommandTest.MIXED_LOG);
    Result r = run(log, "explain", "--scan", "-");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("WSAECONNREFUSED", "WSAEISCONN", "BROKEN_PIPE",
        "recognised in standard input");
  }

  @Test
  void badInputNeverShowsAStackTrace() throws Exception {
    byte[] noise = new byte[4 << 20];
    new Random(7).nextBytes(noise);
    Path bin = Files.write(dir.resolve("noise.bin"), noise);
    List<Result> results = List.of(
        run("explain", "--scan", bin.toString()),
        run("explain", "--scan", dir.resolve("missing").toString()),
        // The kernel caps one argument at 128 KiB on Linux; 100,000 characters is close.
        run("explain", "z".repeat(100_000)),
        run("explain", "--" + "z".repeat(100_000)),
        run("explain", "--os", "beos", "1"),
        run("nosuchcommand"),
        run());
    assertThat(results).extracting(Result::exit).containsExactly(1, 2, 1, 2, 2, 2, 2);
    assertThat(results).allSatisfy(r -> {
      assertThat(r.err()).doesNotContain("\tat ", "Exception in thread");
      assertThat(r.err().length() + r.out().length()).isLessThan(10_000);
    });
  }

  @Test
  void versionAndJsonAreOnStdout() throws Exception {
    Result v = run("--version");
    assertThat(v.exit()).isZero();
    assertThat(v.out()).startsWith("redial 0.");
    Result j = run("explain", "--json", "EPIPE");
    assertThat(j.exit()).isZero();
    assertThat(j.out()).startsWith("{").contains("\"name\": \"BROKEN_PIPE\"");
  }
}
