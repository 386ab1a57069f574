package io.redial.bench;

import io.redial.bench.internal.redis.RedisPair;
import io.redial.bench.internal.redis.RedisSide;
import io.redial.bench.internal.redis.RedisSides;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Redis figure's latency: one {@code GET} of a 64-byte value at a time, on ONE connection to
 * a local {@code redis-server}; JMH samples the round trips, the report takes p50 and p99. Redial
 * on Netty's Redis codec against Lettuce's async API with its default auto-flush, same server,
 * one I/O thread each, taking turns iteration by iteration; {@code first} says who starts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisLatencyBenchmark {
  static final byte[] KEY = "bench:get".getBytes(StandardCharsets.UTF_8);
  static final int VALUE_BYTES = 64;

  @Param({RedisSides.LETTUCE, RedisSides.REDIAL})
  public String first;

  @Param("0")
  public int port;

  @Param("redial-bench")
  public String password;

  /** {@code lettuce}; {@code netty} puts plain Netty with Redial's codec in its place (diagnosis). */
  @Param("lettuce")
  public String baseline;

  private RedisPair pair;
  private int iteration;
  private RedisSide side;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    pair = RedisPair.open(port, password, true, baseline);
    byte[] value = new byte[VALUE_BYTES];
    Arrays.fill(value, (byte) 'g');
    if (pair.side(RedisSides.REDIAL).setPipelined(1, KEY, value, 10_000) != 1) {
      throw new IllegalStateException("SET " + new String(KEY, StandardCharsets.UTF_8) + " failed");
    }
  }

  @Setup(Level.Iteration)
  public void nextTurn() {
    side = pair.side(RedisSides.sideOf(first, iteration++));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    pair.close();
  }

  @Benchmark
  public byte[] roundTrip() throws Exception {
    byte[] v = side.get(KEY, 10_000);
    if (v == null || v.length != VALUE_BYTES) {
      throw new IllegalStateException(side.name() + ": GET answered "
          + (v == null ? "nil" : v.length + " bytes"));
    }
    return v;
  }
}
