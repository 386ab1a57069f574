package io.redial.bench;

import io.redial.bench.internal.redis.RedisPair;
import io.redial.bench.internal.redis.RedisSide;
import io.redial.bench.internal.redis.RedisSides;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Redis figure's throughput: requests per second through ONE connection to a local
 * {@code redis-server}, pipelined: each operation sends {@value #BATCH} {@code SET} commands (a
 * 64-byte value) back to back and waits for all their replies. Redial on Netty's Redis codec
 * against Lettuce's async API (auto-flush off, one {@code flushCommands()} per batch), same
 * server, one I/O thread each, taking turns iteration by iteration; {@code first} says who starts.
 * {@code port} is the suite's server ({@code 0}: start one for this trial).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RedisThroughputBenchmark {
  /** Requests in flight per operation. */
  public static final int BATCH = 1_000;
  static final byte[] KEY = "bench:set".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  @Param({RedisSides.LETTUCE, RedisSides.REDIAL})
  public String first;

  @Param("0")
  public int port;

  @Param("redial-bench")
  public String password;

  /** {@code lettuce}; {@code netty} puts plain Netty with Redial's codec in its place (diagnosis). */
  @Param("lettuce")
  public String baseline;

  /** Lettuce with its default auto-flush (one flush per command) instead of one per batch. */
  @Param("false")
  public boolean lettuceAutoFlush;

  private RedisPair pair;
  private int iteration;
  private RedisSide side;
  private final byte[] value = new byte[64];

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    java.util.Arrays.fill(value, (byte) 'v');
    pair = RedisPair.open(port, password, lettuceAutoFlush, baseline);
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
  @OperationsPerInvocation(BATCH)
  public int pipelined() throws Exception {
    int ok = side.setPipelined(BATCH, KEY, value, 30_000);
    if (ok != BATCH) {
      throw new IllegalStateException(side.name() + ": " + ok + " of " + BATCH + " SETs answered OK");
    }
    return ok;
  }
}
