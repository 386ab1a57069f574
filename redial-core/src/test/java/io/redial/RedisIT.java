package io.redial;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import io.netty.util.ReferenceCountUtil;
import io.redial.testing.RedisServer;
import io.redial.testing.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis client on Redial and Netty's Redis codec, against a real {@code redis-server} the test
 * starts: AUTH and SELECT in the handshake, pipelining, a restart, a kill mid-stream, a frozen
 * server, a changed password.
 */
class RedisIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  static Codec<RedisMessage> redisCodec() {
    return Codec.netty(RedisMessage.class, p -> p.addLast(new RedisDecoder(),
        new RedisBulkStringAggregator(), new RedisArrayAggregator(), new RedisEncoder()));
  }

  static RedisMessage cmd(String... args) {
    List<RedisMessage> parts = new ArrayList<>(args.length);
    for (String a : args) {
      parts.add(new FullBulkStringRedisMessage(Unpooled.copiedBuffer(a, UTF_8)));
    }
    return new ArrayRedisMessage(parts);
  }

  /** The reply as text (releasing it): ":5", "+OK", "-ERR …", "$value". */
  static String text(RedisMessage reply) {
    try {
      if (reply instanceof IntegerRedisMessage i) {
        return ":" + i.value();
      } else if (reply instanceof SimpleStringRedisMessage s) {
        return "+" + s.content();
      } else if (reply instanceof ErrorRedisMessage e) {
        return "-" + e.content();
      } else if (reply instanceof FullBulkStringRedisMessage b) {
        return b.isNull() ? "$nil" : "$" + b.content().toString(UTF_8);
      }
      return reply.toString();
    } finally {
      ReferenceCountUtil.release(reply);
    }
  }

  /** AUTH then SELECT on every new channel; a refused password closes the connection for good. */
  static Handshake<RedisMessage> authAndSelect(String password, int db, AtomicInteger count) {
    return session -> {
      count.incrementAndGet();
      return session.request(cmd("AUTH", password), Duration.ofSeconds(5))
          .thenCompose(reply -> {
            String auth = text(reply);
            if (auth.startsWith("-WRONGPASS") || auth.startsWith("-ERR invalid password")) {
              throw new HandshakeRejectedException("AUTH refused: " + auth);
            }
            if (!auth.equals("+OK")) {
              throw new IllegalStateException("AUTH answered " + auth);
            }
            return session.request(cmd("SELECT", String.valueOf(db)), Duration.ofSeconds(5));
          })
          .thenAccept(reply -> {
            String select = text(reply);
            if (!select.equals("+OK")) {
              throw new IllegalStateException("SELECT answered " + select);
            }
          });
    };
  }

  private MessageConnection<RedisMessage> client(RedisServer redis, String password,
      AtomicInteger handshakes, Recorder rec) {
    MessageConnection<RedisMessage> c = Redial.connection("redis", redisCodec())
        .endpoint(redis.address())
        .backoff(Backoff.fixed(Duration.ofMillis(50)))
        .correlation(Correlation.fifo())
        .handshake(authAndSelect(password, 3, handshakes))
        .listener(rec)
        .build();
    toClose.add(c);
    return c;
  }

  private RedisServer redis(String password) throws Exception {
    RedisServer r = RedisServer.start(password);
    toClose.add(r);
    return r;
  }

  @Test
  void aThousandPipelinedIncrsAreAnsweredInOrderAfterTheHandshake() throws Exception {
    RedisServer redis = redis("s3cret");
    AtomicInteger handshakes = new AtomicInteger();
    MessageConnection<RedisMessage> c = client(redis, "s3cret", handshakes, new Recorder());
    c.connect().get(10, TimeUnit.SECONDS);
    long start = System.nanoTime();
    List<CompletableFuture<RedisMessage>> replies = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      replies.add(c.request(cmd("INCR", "counter"), Duration.ofSeconds(20)));
    }
    for (int i = 0; i < 1_000; i++) {
      assertThat(text(replies.get(i).get(20, TimeUnit.SECONDS))).isEqualTo(":" + (i + 1));
    }
    System.out.printf("redis: 1000 pipelined INCRs answered in order in %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    assertThat(handshakes.get()).isEqualTo(1);
    // SELECT 3 ran before the INCRs: the counter lives in database 3
    assertThat(redis.command("SELECT", "3")).isEqualTo("+OK");
    assertThat(text(c.request(cmd("GET", "counter"), Duration.ofSeconds(5))
        .get(10, TimeUnit.SECONDS))).isEqualTo("$1000");
  }

  @Test
  void requestsQueuedThroughARestartAreAnsweredAfterTheNewHandshake() throws Exception {
    RedisServer redis = redis("s3cret");
    AtomicInteger handshakes = new AtomicInteger();
    MessageConnection<RedisMessage> c = client(redis, "s3cret", handshakes, new Recorder());
    c.connect().get(10, TimeUnit.SECONDS);
    redis.kill();
    await().atMost(WAIT).until(() -> c.state() != ConnectionState.CONNECTED);
    List<CompletableFuture<RedisMessage>> queued = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      queued.add(c.request(cmd("INCR", "after-restart"), Duration.ofSeconds(30)));
    }
    redis.restart();
    for (int i = 0; i < 100; i++) {
      assertThat(text(queued.get(i).get(30, TimeUnit.SECONDS))).isEqualTo(":" + (i + 1));
    }
    // one handshake per connected channel (attempts refused while it was down had none)
    assertThat(handshakes.get()).isEqualTo((int) c.stats().connects()).isEqualTo(2);
  }

  @Test
  void aKillMidStreamGivesEveryRequestItsOwnReplyOrConnectionLostAndNoneHangs() throws Exception {
    RedisServer redis = redis("s3cret");
    MessageConnection<RedisMessage> c = client(redis, "s3cret", new AtomicInteger(),
        new Recorder());
    c.connect().get(10, TimeUnit.SECONDS);
    int n = 5_000;
    List<CompletableFuture<RedisMessage>> replies = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      replies.add(c.request(cmd("INCR", "mid-stream"), Duration.ofSeconds(30)));
      if (i == n / 4) {
        replies.get(0).get(10, TimeUnit.SECONDS); // the stream is flowing
        redis.kill();
      }
    }
    redis.restart();
    List<Long> values = new ArrayList<>();
    int lost = 0;
    for (CompletableFuture<RedisMessage> f : replies) {
      try {
        String r = text(f.get(30, TimeUnit.SECONDS)); // none hangs
        assertThat(r).startsWith(":");
        values.add(Long.parseLong(r.substring(1)));
      } catch (ExecutionException e) {
        assertThat(((RedialException) e.getCause()).error().name()).isIn(
            "CONNECTION_LOST", "REQUEST_TIMEOUT");
        lost++;
      }
    }
    // each server life answers its requests 1, 2, 3, … in order: a reply handed to the wrong
    // request would break a run; at most one restart means at most two runs
    int runs = 0;
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == 1) {
        runs++;
      } else {
        assertThat(values.get(i)).as("reply %d follows its predecessor", i)
            .isEqualTo(values.get(i - 1) + 1);
      }
    }
    assertThat(runs).isBetween(1, 2);
    System.out.printf("redis: kill mid-stream: %d answered, %d failed with a clear error, 0 hung%n",
        values.size(), lost);
    assertThat(values.size() + lost).isEqualTo(n);
  }

  @Test
  void aFrozenServerTimesRequestsOutAndTheirLateRepliesShiftNothing() throws Exception {
    RedisServer redis = redis("s3cret");
    MessageConnection<RedisMessage> c = client(redis, "s3cret", new AtomicInteger(),
        new Recorder());
    c.connect().get(10, TimeUnit.SECONDS);
    assertThat(text(c.request(cmd("SET", "marker", "mine"), Duration.ofSeconds(5))
        .get(10, TimeUnit.SECONDS))).isEqualTo("+OK");
    redis.freeze();
    CompletableFuture<RedisMessage> frozen = c.request(cmd("INCR", "n"), Duration.ofMillis(300));
    assertThatThrownBy(() -> frozen.get(10, TimeUnit.SECONDS))
        .hasMessageContaining("REQUEST_TIMEOUT");
    redis.thaw();
    // the INCR's late reply (an integer) arrives first; it must be consumed in its own slot
    assertThat(text(c.request(cmd("GET", "marker"), Duration.ofSeconds(10))
        .get(10, TimeUnit.SECONDS))).isEqualTo("$mine");
    assertThat(text(c.request(cmd("GET", "n"), Duration.ofSeconds(10))
        .get(10, TimeUnit.SECONDS))).as("the timed-out INCR was applied").isEqualTo("$1");
    assertThat(c.generation()).isEqualTo(1);
  }

  @Test
  void aChangedPasswordRejectsTheHandshakeAndStopsTheRetries() throws Exception {
    RedisServer redis = redis("s3cret");
    Recorder rec = new Recorder();
    MessageConnection<RedisMessage> c = client(redis, "s3cret", new AtomicInteger(), rec);
    c.connect().get(10, TimeUnit.SECONDS);
    redis.password("rotated");
    c.reconnect();
    assertThat(c.awaitState(ConnectionState.CLOSED, WAIT)).isTrue();
    var failure = rec.of(ConnectionEvent.AttemptFailed.class);
    assertThat(failure).hasSize(1);
    assertThat(failure.get(0).socketError().name()).isEqualTo("HANDSHAKE_REJECTED");
    assertThat(failure.get(0).error()).hasMessageContaining("WRONGPASS");
    assertThat(failure.get(0).nextDelay()).isEmpty();
    assertThat(c.stats().attempts()).isEqualTo(2);
    assertThatThrownBy(() -> c.connect().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(HandshakeRejectedException.class);
    assertThat(rec.of(ConnectionEvent.AttemptStarted.class)).hasSize(2);
  }
}
