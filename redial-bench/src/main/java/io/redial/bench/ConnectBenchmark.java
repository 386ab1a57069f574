package io.redial.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.redial.Connection;
import io.redial.Redial;
import io.redial.bench.internal.Alternation;
import io.redial.bench.internal.Net;
import io.redial.bench.internal.RawClient;
import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import java.net.InetSocketAddress;
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
 * then closed: Redial's build + {@code connect()} until CONNECTED + {@code close()} against
 * {@code Bootstrap.connect} + {@code close()}, on the same event loop. The two take turns
 * iteration by iteration in one JVM ({@link Alternation}); {@code first} says which one starts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConnectBenchmark {
  public static final int IN_A_ROW = 1_000;

  @Param({"raw", "redial"})
  public String first;

  private Alternation turns;
  private String impl;

  private EchoServer server;
  private EventLoopGroup group;
  private Bootstrap bootstrap;
  private InetSocketAddress address;

  @Setup(Level.Trial)
  public void setUp() {
    server = EchoServer.start(EchoMode.LENGTH_PREFIXED);
    address = server.address();
    group = Net.newGroup(1, "bench-client");
    bootstrap = RawClient.bootstrap(group, bytes -> {});
    turns = new Alternation(first);
  }

  @Setup(Level.Iteration)
  public void nextTurn() {
    impl = turns.next();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Net.shutdown(group);
    server.close();
  }

  @Benchmark
  @OperationsPerInvocation(IN_A_ROW)
  public long connectClose() throws Exception {
    long generations = 0;
    if (impl.equals(Alternation.RAW)) {
      for (int i = 0; i < IN_A_ROW; i++) {
        Channel ch = bootstrap.connect(address).sync().channel();
        ch.close().sync();
        generations++;
      }
    } else {
      for (int i = 0; i < IN_A_ROW; i++) {
        Connection c = Redial.connection("bench").endpoint(address).eventLoopGroup(group).build();
        c.connect().get(10, TimeUnit.SECONDS);
        c.close();
        generations += c.generation();
      }
    }
    return generations;
  }
}
