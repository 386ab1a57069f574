package io.redial.bench.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisProcessTest {
  @TempDir Path dir;

  @Test
  void aMissingServerIsAClearErrorSayingHowToInstallIt() {
    assertThatThrownBy(() -> RedisProcess.find("redial-no-such-redis", dir.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("redial-no-such-redis was not found")
        .hasMessageContaining("apt-get install -y redis-server")
        .hasMessageContaining("scripts/test");
  }

  @Test
  void findsAnExecutableOnThePath() throws Exception {
    Path program = Files.createFile(dir.resolve("redial-fake-redis"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    assertThat(RedisProcess.find("redial-fake-redis", "/nonexistent:" + dir))
        .isEqualTo(program.toString());
  }

  @Test
  void aBadPasswordIsNamed() {
    assertThatThrownBy(() -> RedisProcess.start("two words", 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("password").hasMessageContaining("'two words'");
  }
}
