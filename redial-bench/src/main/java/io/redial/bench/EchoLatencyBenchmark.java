package io.redial.bench;

import io.netty.channel.EventLoopGroup;
import io.redial.bench.internal.Alternation;
import io.redial.bench.internal.BenchClient;
import io.redial.bench.internal.Net;
import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
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
 * round trips, the report takes p50 and p99. Both clients stay connected to the same server and
 * take turns iteration by iteration ({@link Alternation}); {@code first} says which one starts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EchoLatencyBenchmark {
  @Param({"raw", "redial"})
  public String first;

  private EchoServer server;
  private EventLoopGroup group;
  private Alternation turns;
  private Map<String, BenchClient> clients;
  /** The client of the current iteration. */
  private BenchClient client;
  private final byte[] frame = new byte[64];
  private volatile CompletableFuture<byte[]> reply;

  @Setup(Level.Trial)
  public void setUp() {
    server = EchoServer.start(EchoMode.LENGTH_PREFIXED);
    group = Net.newGroup(1, "bench-client");
    clients = BenchClient.openBoth(group, server.address(), bytes -> reply.complete(bytes));
    turns = new Alternation(first);
  }

  @Setup(Level.Iteration)
  public void nextTurn() {
    client = clients.get(turns.next());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    clients.values().forEach(BenchClient::close);
    Net.shutdown(group);
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
