package io.redial.bench;

import io.redial.Backoff;
import io.redial.RedialException;
import io.redial.internal.Endpoint;
import io.redial.internal.Lifecycle;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one transition of the pure state machine, {@code Lifecycle.handle(event)}, with its
 * actions and events: a cycle CONNECTING → CONNECTED → (lost) → BACKOFF → CONNECTING, four events.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TransitionBenchmark {
  private Lifecycle lifecycle;
  private long gen;
  private final RedialException lost = RedialException.of("ECONNRESET", "bench: reset");

  @Setup
  public void setUp() {
    lifecycle = new Lifecycle(new Lifecycle.Settings("bench",
        List.of(new Endpoint("127.0.0.1", 9, null)), Backoff.fixed(Duration.ofMillis(1)),
        new SplittableRandom(1), 0, Duration.ofSeconds(5)));
    gen = openedGeneration(lifecycle.handle(new Lifecycle.ConnectRequested()));
  }

  @Benchmark
  @OperationsPerInvocation(4)
  public long cycle() {
    lifecycle.handle(new Lifecycle.TransportUp(gen, 0));
    lifecycle.handle(new Lifecycle.ChannelLost(gen, lost));
    long seq = retrySeq(lifecycle.handle(new Lifecycle.ChannelClosed(gen, 0)));
    gen = openedGeneration(lifecycle.handle(new Lifecycle.TimerFired(Lifecycle.Timer.RETRY, seq)));
    return gen;
  }

  private static long openedGeneration(List<Lifecycle.Action> actions) {
    for (Lifecycle.Action a : actions) {
      if (a instanceof Lifecycle.OpenChannel o) {
        return o.gen();
      }
    }
    throw new IllegalStateException("no OpenChannel in " + actions);
  }

  private static long retrySeq(List<Lifecycle.Action> actions) {
    for (Lifecycle.Action a : actions) {
      if (a instanceof Lifecycle.ScheduleTimer t && t.timer() == Lifecycle.Timer.RETRY) {
        return t.token();
      }
    }
    throw new IllegalStateException("no retry timer in " + actions);
  }
}
