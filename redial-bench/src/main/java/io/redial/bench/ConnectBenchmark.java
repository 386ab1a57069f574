package io.redial.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.redial.bench.internal.Alternation;
import io.redial.bench.internal.BenchClient;
import io.redial.bench.internal.ClientKind;
import io.redial.bench.internal.Events;
import io.redial.bench.internal.Loops;
import io.redial.bench.internal.RawClient;
import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Figure 3: {@value #IN_A_ROW} connects in a row to a loopback server, each until connected and
 * then closed. Raw Netty: {@code Bootstrap.connect().sync()} + {@code close().sync()}. Redial and
 * the peers: a new client (Redial's build + {@code connect()}; the peers' reconnecting clients,
 * {@link ClientKind}) started, awaited until connected, and closed, so that each pays for what a
 * user of it creates per connection. Event loops of the same size; the clients take turns
 * iteration by iteration in one JVM ({@link Alternation}); {@code first} says which of a pair comes
 * first.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConnectBenchmark {
  public static final int IN_A_ROW = 1_000;

  @Param({"redial", "peers"})
  public String first;

  /** The clients Redial takes turns with, comma-separated. */
  @Param({"raw,reactor,vertx,handrolled"})
  public String peers;

  private Alternation turns;
  private String impl;

  private EchoServer server;
  private Loops loops;
  private Bootstrap bootstrap;
  private Map<String, ClientKind.Opener> openers;
  private InetSocketAddress address;

  @Setup(Level.Trial)
  public void setUp() {
    server = EchoServer.start(EchoMode.LENGTH_PREFIXED);
    address = server.address();
    loops = new Loops(1, "bench-client");
    bootstrap = RawClient.bootstrap(loops.group(), bytes -> {});
    List<String> turnOrder = List.of(peers.split(","));
    openers = new HashMap<>();
    for (String kind : ThroughputBenchmark.all(turnOrder)) {
      openers.put(kind, ClientKind.named(kind).opener(loops, bytes -> {}, Events.NONE));
    }
    turns = new Alternation(first, turnOrder);
  }

  @Setup(Level.Iteration)
  public void nextTurn() {
    impl = turns.next().impl();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    loops.close();
    server.close();
  }

  @Benchmark
  @OperationsPerInvocation(IN_A_ROW)
  public int connectClose() throws Exception {
    int done = 0;
    if (impl.equals(ClientKind.RAW)) {
      for (int i = 0; i < IN_A_ROW; i++) {
        Channel ch = bootstrap.connect(address).sync().channel();
        ch.close().sync();
        done++;
      }
    } else {
      ClientKind.Opener opener = openers.get(impl);
      for (int i = 0; i < IN_A_ROW; i++) {
        BenchClient c = opener.start(address);
        c.firstConnect().get(10, TimeUnit.SECONDS);
        c.close();
        done++;
      }
    }
    return done;
  }
}
