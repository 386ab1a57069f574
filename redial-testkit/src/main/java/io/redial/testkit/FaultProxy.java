package io.redial.testkit;

import io.redial.testkit.internal.ProxyEngine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * An in-process TCP proxy that breaks connections on purpose, to test what a client does when the
 * network misbehaves. It runs on Netty, on one event loop of its own; every method is safe from
 * any thread.
 *
 * <pre>{@code
 * try (EchoServer echo = EchoServer.start(EchoMode.LINES);
 *      FaultProxy proxy = FaultProxy.start(echo.address())) {
 *   // point the client under test at proxy.listenAddress()
 *   try (FaultHandle slow = proxy.latency(Duration.ofMillis(200), Duration.ZERO)) {
 *     // every chunk now takes at least 200 ms each way
 *   }
 *   proxy.resetAll();                        // clients get "Connection reset"
 *   try (FaultHandle down = proxy.refuseNew()) {
 *     // new connects get "Connection refused"; existing connections stay
 *   }
 * }
 * }</pre>
 *
 * <p>Faults are installed with {@link #add(Fault)} or the shortcuts below; each returns a
 * {@link FaultHandle} whose {@code close()} removes it. Data faults can target one
 * {@link Direction}; any fault can apply to only some connections (its toxicity), drawn from the
 * seeded generator given to the {@link Builder}. To start with faults already in place, so that no
 * connection sees the proxy without them, use {@link #builder(InetSocketAddress)}.
 */
public final class FaultProxy implements AutoCloseable {
  private final ProxyEngine engine;

  private FaultProxy(ProxyEngine engine) {
    this.engine = engine;
  }

  /** Starts a proxy to {@code upstream} on an ephemeral loopback port, with no faults. */
  public static FaultProxy start(InetSocketAddress upstream) {
    return builder(upstream).start();
  }

  /** A builder for a proxy to {@code upstream}. */
  public static Builder builder(InetSocketAddress upstream) {
    return new Builder(upstream);
  }

  /** Where clients connect: the loopback address and the port bound at start (kept across {@link #refuseNew()}). */
  public InetSocketAddress listenAddress() {
    return engine.listenAddress();
  }

  /** Where the proxy connects to. */
  public InetSocketAddress upstream() {
    return engine.upstream();
  }

  /** Whether the listening socket is open (false while a {@link #refuseNew()} is active). */
  public boolean isListening() {
    return engine.isListening();
  }

  /** Installs a fault; it applies to live connections (each drawn against its toxicity) and new ones. */
  public FaultHandle add(Fault fault) {
    long id = engine.add(fault);
    return new FaultHandle(id, fault, engine::remove);
  }

  /** The faults installed and not yet removed, oldest first; closing any handle for an id removes that fault. */
  public List<FaultHandle> faults() {
    List<FaultHandle> out = new ArrayList<>();
    for (Map.Entry<Long, Fault> e : engine.faults()) {
      out.add(new FaultHandle(e.getKey(), e.getValue(), engine::remove));
    }
    return List.copyOf(out);
  }

  /** Removes the fault with this id, if present (what the control API of {@code redial proxy} uses). */
  public void remove(long faultId) {
    engine.remove(faultId);
  }

  /** Holds every chunk, both ways, for {@code base} plus up to {@code jitter}. */
  public FaultHandle latency(Duration base, Duration jitter) {
    return add(Fault.latency(base, jitter));
  }

  /** {@link #latency(Duration, Duration)} one way only. */
  public FaultHandle latency(Direction direction, Duration base, Duration jitter) {
    return add(Fault.latency(base, jitter).direction(direction));
  }

  /** Limits each direction of each connection to {@code bytesPerSecond}. */
  public FaultHandle bandwidth(long bytesPerSecond) {
    return add(Fault.bandwidth(bytesPerSecond));
  }

  /** {@link #bandwidth(long)} one way only. */
  public FaultHandle bandwidth(Direction direction, long bytesPerSecond) {
    return add(Fault.bandwidth(bytesPerSecond).direction(direction));
  }

  /** Cuts data into slices of {@code averageSize ± variation} bytes, {@code delay} apart. */
  public FaultHandle slice(int averageSize, int variation, Duration delay) {
    return add(Fault.slice(averageSize, variation, delay));
  }

  /** {@link #slice(int, int, Duration)} one way only. */
  public FaultHandle slice(Direction direction, int averageSize, int variation, Duration delay) {
    return add(Fault.slice(averageSize, variation, delay).direction(direction));
  }

  /** Lets {@code bytes} pass each way, then closes the connection. */
  public FaultHandle limitData(long bytes) {
    return add(Fault.limitData(bytes));
  }

  /** {@link #limitData(long)} counting one way only. */
  public FaultHandle limitData(Direction direction, long bytes) {
    return add(Fault.limitData(bytes).direction(direction));
  }

  /** Nothing passes either way; the sockets stay open. */
  public FaultHandle blackhole() {
    return add(Fault.blackhole());
  }

  /** {@link #blackhole()} one way only. */
  public FaultHandle blackhole(Direction direction) {
    return add(Fault.blackhole().direction(direction));
  }

  /** Delays passing on a close from either side by {@code delay}. */
  public FaultHandle slowClose(Duration delay) {
    return add(Fault.slowClose(delay));
  }

  /** Resets each connection (RST to the client) {@code after} it met this fault. */
  public FaultHandle resetAfter(Duration after) {
    return add(Fault.resetAfter(after));
  }

  /** Closes each connection (FIN) {@code age} after it met this fault: a time limit on connections. */
  public FaultHandle maxConnectionAge(Duration age) {
    return add(Fault.maxConnectionAge(age));
  }

  /** New connections are accepted and never reach the upstream. */
  public FaultHandle stallNew() {
    return add(Fault.stallNew());
  }

  /**
   * Stops listening, so new connects get "Connection refused" from the OS; existing connections
   * stay. Closing the handle listens again on the same port.
   */
  public FaultHandle refuseNew() {
    return add(Fault.refuseNew());
  }

  /** Resets every live connection now (SO_LINGER 0, then close): clients get "Connection reset". Returns how many. */
  public int resetAll() {
    return engine.resetAll();
  }

  /** Closes every live connection now, gracefully. Returns how many. */
  public int closeAll() {
    return engine.closeAll();
  }

  /** The live proxied connections, oldest first, with their byte counts. */
  public List<ProxiedConnection> connections() {
    return engine.connections();
  }

  /** How many connections the proxy has accepted since it started. */
  public long totalAccepted() {
    return engine.totalAccepted();
  }

  /** Stops listening, closes every connection and releases the event loop. Idempotent. */
  @Override
  public void close() {
    engine.close();
  }

  @Override
  public String toString() {
    return "FaultProxy[" + listenAddress() + " -> " + upstream() + "]";
  }

  /**
   * Configures a proxy, including faults in place from the first connection (Toxiproxy #148).
   * Not thread-safe; {@link #start()} copies everything.
   */
  public static final class Builder {
    private final InetSocketAddress upstream;
    private InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private final List<Fault> faults = new ArrayList<>();
    private RandomGenerator random;
    private Duration connectTimeout = Duration.ofSeconds(10);

    private Builder(InetSocketAddress upstream) {
      this.upstream = Objects.requireNonNull(upstream, "upstream");
    }

    /** Where to listen; default loopback with an ephemeral port. */
    public Builder listen(InetSocketAddress address) {
      this.listen = Objects.requireNonNull(address, "listen");
      return this;
    }

    /** A fault in place before the proxy accepts anything. Repeatable. */
    public Builder fault(Fault fault) {
      faults.add(Objects.requireNonNull(fault, "fault"));
      return this;
    }

    /** Seeds the generator that decides toxicity, jitter and slice sizes; same seed, same draws. */
    public Builder seed(long seed) {
      this.random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
      return this;
    }

    /** The generator that decides toxicity, jitter and slice sizes; used only on the proxy's thread. */
    public Builder random(RandomGenerator generator) {
      this.random = Objects.requireNonNull(generator, "generator");
      return this;
    }

    /** How long the proxy waits for the upstream to accept; default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "connectTimeout");
      if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(FaultKind.MAX_DURATION) > 0) {
        throw new IllegalArgumentException(
            "connectTimeout is " + timeout + "; allowed: more than 0, at most " + FaultKind.MAX_DURATION);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /** Starts the proxy, faults first, then the listener. */
    public FaultProxy start() {
      RandomGenerator r = random != null ? random
          : RandomGeneratorFactory.of("L64X128MixRandom").create(); // unseeded on purpose: no seed asked for
      return new FaultProxy(ProxyEngine.start(upstream, listen, List.copyOf(faults), r, connectTimeout));
    }
  }
}
