package io.redial.bench;

import io.redial.bench.internal.Alternation;
import io.redial.bench.internal.BenchClient;
import io.redial.bench.internal.Loops;
import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * Figure 2: one 64-byte frame to a loopback echo server and back, one at a time; JMH samples the
 * round trips, the report takes p50 and p99. Redial and every peer stay connected to the same
 * server and take turns iteration by iteration, each peer next to a Redial iteration
 * ({@link Alternation}); {@code first} says which of a pair comes first.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EchoLatencyBenchmark {
  @Param({"redial", "peers"})
  public String first;

  /** The clients Redial takes turns with, comma-separated. */
  @Param({"raw,reactor,vertx,handrolled"})
  public String peers;

  private EchoServer server;
  private Loops loops;
  private Alternation turns;
  private Map<String, BenchClient> clients;
  /** The client of the current iteration. */
  private BenchClient client;
  private final byte[] frame = new byte[64];
  private volatile CompletableFuture<byte[]> reply;

  @Setup(Level.Trial)
  public void setUp() {
    server = EchoServer.start(EchoMode.LENGTH_PREFIXED);
    loops = new Loops(1, "bench-client");
    List<String> turnOrder = List.of(peers.split(","));
    clients = BenchClient.openAll(loops, ThroughputBenchmark.all(turnOrder), server.address(), bytes -> reply.complete(bytes));
    turns = new Alternation(first, turnOrder);
  }

  @Setup(Level.Iteration)
  public void nextTurn() {
    client = clients.get(turns.next().impl());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    BenchClient.closeAll(List.copyOf(clients.values()));
    loops.close();
    server.close();
  }

  @Benchmark
  public byte[] roundTrip() throws Exception {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    reply = f;
    client.send(frame);
    client.flush();
    return f.get(10, TimeUnit.SECONDS);
  }
}
