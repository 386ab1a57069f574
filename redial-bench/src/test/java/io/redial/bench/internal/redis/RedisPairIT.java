package io.redial.bench.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Both Redis clients of the bench against a real {@code redis-server} the pair starts itself: each
 * authenticates, pipelines SETs answered OK, reads the value back, and the server is gone after
 * close. (Without {@code redis-server} this fails, saying how to install it.)
 */
class RedisPairIT {
  @Test
  void bothSidesPipelineAndReadBackOnTheirOwnServer() throws Exception {
    byte[] key = "it:key".getBytes(StandardCharsets.UTF_8);
    byte[] value = new byte[64];
    Arrays.fill(value, (byte) 'x');
    for (boolean autoFlush : new boolean[] {false, true}) {
      try (RedisPair pair = RedisPair.open(0, "it-secret", autoFlush)) {
        for (String name : new String[] {RedisSides.LETTUCE, RedisSides.REDIAL}) {
          RedisSide side = pair.side(name);
          assertThat(side.name()).isEqualTo(name);
          assertThat(side.setPipelined(500, key, value, 20_000)).isEqualTo(500);
          assertThat(side.get(key, 10_000)).isEqualTo(value);
          assertThat(side.get("it:none".getBytes(StandardCharsets.UTF_8), 10_000)).isNull();
        }
      }
    }
  }

  @Test
  void theDiagnosticNettyBaselinePipelinesToo() throws Exception {
    byte[] key = "it:netty".getBytes(StandardCharsets.UTF_8);
    byte[] value = new byte[64];
    try (RedisPair pair = RedisPair.open(0, "it-secret", true, "netty")) {
      RedisSide baseline = pair.side(RedisSides.LETTUCE);
      assertThat(baseline).isInstanceOf(NettyRedis.class);
      assertThat(baseline.setPipelined(300, key, value, 20_000)).isEqualTo(300);
      assertThat(baseline.get(key, 10_000)).isEqualTo(value);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> RedisPair.open(0, "it-secret", true, "jedis"))
        .hasMessageContaining("baseline").hasMessageContaining("'jedis'");
  }

  @Test
  void theServerItStartedIsKilledOnClose() throws Exception {
    RedisProcess redis = RedisProcess.start("it-secret", 100);
    long pid = redis.pid();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isTrue();
    redis.close();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }
}
