package io.redial.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.cli.trace.Tools;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code redial trace}: bad usage and missing tools, without running anything. */
class TraceCommandTest {

  @TempDir Path empty;

  @Test
  void withoutStraceItSaysExactlyHowToInstallIt() {
    CliRun r = CliRun.run("trace", "--tool-path", empty.toString(), "--", "true");

    assertThat(r.exit()).isEqualTo(TraceCommand.EXIT_UNAVAILABLE);
    assertThat(r.err()).contains("redial trace needs strace, which is not installed")
        .contains("sudo apt-get install strace");
  }

  @Test
  void nothingToTraceIsBadUsage() {
    CliRun r = CliRun.run("trace");

    assertThat(r.exit()).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(r.err()).contains("nothing to trace", "-p PID");
  }

  @Test
  void aPidAndACommandTogetherAreBadUsage() {
    CliRun r = CliRun.run("trace", "-p", "1", "--", "true");

    assertThat(r.exit()).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(r.err()).contains("either -p PID or a command", "-p 1", "'true'");
  }

  @Test
  void aPidMustBePositiveAndForNeedsAPid() {
    CliRun negative = CliRun.run("trace", "-p", "-5");
    assertThat(negative.exit()).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(negative.err()).contains("-p: '-5' is not a process id");

    CliRun forWithoutPid = CliRun.run("trace", "--for", "5s", "--", "true");
    assertThat(forWithoutPid.exit()).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(forWithoutPid.err()).contains("--for only applies with -p");
  }

  @Test
  void onlyLinuxCountsAsLinux() {
    assertThat(Tools.isLinux("Linux")).isTrue();
    assertThat(Tools.isLinux("Mac OS X")).isFalse();
    assertThat(Tools.isLinux("Windows 11")).isFalse();
    assertThat(Tools.isLinux(null)).isFalse();
  }

  @Test
  void toolsAreFoundOnTheSearchPathOnly() {
    assertThat(Tools.find("sh", "/nonexistent:" + empty + "::/bin")).isPresent();
    assertThat(Tools.find("sh", empty.toString())).isEmpty();
    assertThat(Tools.find("sh", null)).isEmpty();
  }
}
