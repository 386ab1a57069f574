package io.redial;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.testing.FdExhaustionMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Out of file descriptors (EMFILE), Netty cannot even create the channel: the attempt must fail
 * with a clear error instead of waiting forever for a close that will never come.
 */
class FdExhaustionIT {
  @Test
  void anAttemptThatCannotCreateAChannelFailsAndCloses() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cmd = "ulimit -n 256 && exec '" + java + "' -Xmx256m -cp '"
        + System.getProperty("java.class.path") + "' " + FdExhaustionMain.class.getName();
    Process p = new ProcessBuilder("/bin/bash", "-c", cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).as(out).contains("descriptors exhausted").contains("RESULT ")
        .doesNotContain("HUNG");
    assertThat(out).contains("could not create a channel");
  }
}
