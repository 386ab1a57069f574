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
 * Redial's {@code send} against raw Netty's {@code writeAndFlush} and the peers' own sends
 * (Reactor Netty, Vert.x, the hand-rolled loop), same protocol, event loops of the same size. All
 * clients stay connected to the same server and take turns iteration by iteration, each peer next
 * to a Redial iteration ({@link Alternation}); {@code first} says which of a pair comes first.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ThroughputBenchmark {
  /** Frames in flight per operation. */
  public static final int BATCH = 1_000;

  @Param({"redial", "peers"})
  public String first;

  /** The clients Redial takes turns with, comma-separated. */
  @Param({"raw,reactor,vertx,handrolled"})
  public String peers;

  @Param({"64", "1024"})
  public int size;

  private EchoServer server;
  private Loops loops;
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
    loops = new Loops(1, "bench-client");
    List<String> turnOrder = List.of(peers.split(","));
    frame = new byte[size];
    clients = BenchClient.openAll(loops, all(turnOrder), server.address(), bytes -> {
      if (remaining.decrementAndGet() == 0) {
        done.complete(null);
      }
    });
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

  static List<String> all(List<String> peers) {
    List<String> all = new java.util.ArrayList<>(peers);
    all.add(0, Alternation.REDIAL);
    return all;
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
