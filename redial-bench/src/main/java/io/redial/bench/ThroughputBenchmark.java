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
import java.util.concurrent.atomic.AtomicInteger;
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
 * Figure 1: frames per second through one connection to a loopback echo server, pipelined: each
 * operation writes {@value #BATCH} frames back to back and waits until all their echoes are back.
 * Redial's {@code send} against raw Netty's {@code write}+{@code flush}, same codec, same event
 * loop. Both clients stay connected to the same server and take turns iteration by iteration
 * ({@link Alternation}); {@code first} says which one starts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ThroughputBenchmark {
  /** Frames in flight per operation. */
  public static final int BATCH = 1_000;

  @Param({"raw", "redial"})
  public String first;

  @Param({"64", "1024"})
  public int size;

  private EchoServer server;
  private EventLoopGroup group;
  private Alternation turns;
  private Map<String, BenchClient> clients;
  /** The client of the current iteration. */
  private BenchClient client;
  private byte[] frame;
  private final AtomicInteger remaining = new AtomicInteger();
  private volatile CompletableFuture<Void> done;

  @Setup(Level.Trial)
  public void setUp() {
    server = EchoServer.start(EchoMode.LENGTH_PREFIXED);
    group = Net.newGroup(1, "bench-client");
    frame = new byte[size];
    clients = BenchClient.openBoth(group, server.address(), bytes -> {
      if (remaining.decrementAndGet() == 0) {
        done.complete(null);
      }
    });
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
  @OperationsPerInvocation(BATCH)
  public void pipelined() throws Exception {
    CompletableFuture<Void> f = new CompletableFuture<>();
    done = f;
    remaining.set(BATCH);
    for (int i = 0; i < BATCH; i++) {
      client.send(frame);
    }
    client.flush();
    f.get(30, TimeUnit.SECONDS);
  }
}
