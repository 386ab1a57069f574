package io.redial;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisEncoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.redial.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's typed-client example, run against a real redis-server; and the README shows
 * exactly this code (the test compares them), so the docs compile and work.
 */
class ReadmeTypedExampleIT {
  // --- README typed example ---
  static RedisMessage command(String... args) {
    return new ArrayRedisMessage(Arrays.stream(args).<RedisMessage>map(a ->
        new FullBulkStringRedisMessage(Unpooled.copiedBuffer(a, UTF_8))).toList());
  }

  static long visits(int port, String password) {
    Codec<RedisMessage> redis = Codec.netty(RedisMessage.class, p -> p.addLast(
        new RedisDecoder(), new RedisBulkStringAggregator(), new RedisArrayAggregator(),
        new RedisEncoder()));                                 // fresh handlers on every channel

    try (MessageConnection<RedisMessage> c = Redial.connection("cache", redis)
        .endpoint("127.0.0.1", port)
        .correlation(Correlation.fifo())                      // Redis answers in order
        .handshake(session -> session.request(command("AUTH", password), Duration.ofSeconds(2))
            .thenAccept(reply -> {                            // before anything queued goes out
              if (reply instanceof ErrorRedisMessage e) {     // wrong password: stop, no retry
                throw new HandshakeRejectedException("AUTH: " + e.content());
              }
            }))
        .queueTimeout(Duration.ofSeconds(30))                 // nothing waits forever
        .build()) {
      c.connect().join();
      RedisMessage reply = c.request(command("INCR", "visits"), Duration.ofSeconds(1)).join();
      return ((IntegerRedisMessage) reply).value();
    }
  }
  // --- end of typed example ---

  @Test
  void theTypedExampleRunsAgainstARealRedis() throws Exception {
    try (RedisServer server = RedisServer.start("example-password")) {
      assertThat(visits(server.port(), "example-password")).isEqualTo(1);
      assertThat(visits(server.port(), "example-password")).isEqualTo(2);
    }
  }

  @Test
  void theReadmeShowsThisCode() throws Exception {
    String source = Files.readString(
        Path.of("src/test/java/io/redial/ReadmeTypedExampleIT.java"));
    String example = source.substring(source.indexOf("  // --- README typed example ---\n")
        + "  // --- README typed example ---\n".length(),
        source.indexOf("  // --- end of typed example ---"));
    String readme = Files.readString(Path.of("../README.md"));
    assertThat(normalize(readme)).contains(normalize(example));
  }

  private static String normalize(String code) {
    List<String> lines = code.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    return String.join("\n", lines);
  }
}
