package io.redial;

import static io.redial.internal.Checks.notNull;
import static io.redial.internal.Checks.positive;
import static io.redial.internal.Checks.range;

import io.netty.channel.EventLoopGroup;
import io.redial.internal.ConnectionConfig;
import io.redial.internal.Endpoint;
import io.redial.internal.ManagedConnection;
import io.redial.internal.Scheduler;
import io.redial.internal.Ticker;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;

/**
 * Configures a {@link Connection}. Every setter checks its argument at once; {@link #build()}
 * checks the whole. A builder is not thread-safe; the connection it builds is.
 *
 * <pre>{@code
 * try (Connection c = Redial.connection("orders")
 *         .endpoint("127.0.0.1", 7000)
 *         .endpoint("127.0.0.1", 7001)                 // failover, in order
 *         .heartbeat(Heartbeat.every(Duration.ofSeconds(5), Duration.ofSeconds(5), PING))
 *         .onMessage(bytes -> handle(bytes))            // on the event loop: do not block
 *         .build()) {
 *   c.connect().join();
 *   c.send("hello".getBytes(UTF_8)).join();
 * }
 * }</pre>
 */
public final class ConnectionBuilder {
  /** Default per-attempt connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Default offline queue bound, in frames. */
  public static final int DEFAULT_QUEUE_FRAMES = 10_000;
  /** Default offline queue bound, in payload bytes (16 MiB). */
  public static final long DEFAULT_QUEUE_BYTES = 16L * 1024 * 1024;
  /** Default time a connection must stay up before the backoff resets. */
  public static final Duration DEFAULT_STABLE_AFTER = Duration.ofSeconds(5);
  /** Default bound on {@code closeAsync()}'s flush. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final String name;
  private final List<Endpoint> endpoints = new ArrayList<>();
  private Framing framing = Framing.lengthPrefixed();
  private Backoff backoff = Backoff.exponential();
  private Duration connectTimeout; // null: the default, or the backoff's minimum if larger
  private int maxAttempts;
  private Heartbeat heartbeat;
  private int queueFrames = DEFAULT_QUEUE_FRAMES;
  private long queueBytes = DEFAULT_QUEUE_BYTES;
  private boolean rejectWhileDisconnected;
  private Consumer<byte[]> onMessage = bytes -> {};
  private final List<ConnectionListener> listeners = new ArrayList<>();
  private SSLContext sslContext;
  private boolean hostnameVerification = true;
  private Duration stableAfter = DEFAULT_STABLE_AFTER;
  private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
  private RandomGenerator random;
  private EventLoopGroup eventLoopGroup;

  ConnectionBuilder(String name) {
    notNull("name", name);
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must be a non-blank string, but was '" + name + "'");
    }
    this.name = name;
  }

  /** Adds an endpoint; repeat for failover, tried in order. The host is resolved per attempt. */
  public ConnectionBuilder endpoint(String host, int port) {
    notNull("host", host);
    if (host.isBlank()) {
      throw new IllegalArgumentException(
          "host must be a non-empty host name or address, but was '" + host + "'");
    }
    range("port", port, 1, 65_535);
    endpoints.add(new Endpoint(host.strip(), port, null));
    return this;
  }

  /**
   * Adds an endpoint. An unresolved address is resolved at every attempt; a resolved one is used
   * as is.
   */
  public ConnectionBuilder endpoint(InetSocketAddress address) {
    notNull("address", address);
    range("port", address.getPort(), 1, 65_535);
    if (address.isUnresolved()) {
      return endpoint(address.getHostString(), address.getPort());
    }
    endpoints.add(new Endpoint(address.getHostString(), address.getPort(), address.getAddress()));
    return this;
  }

  /** How frames are cut; default {@link Framing#lengthPrefixed()}. */
  public ConnectionBuilder framing(Framing framing) {
    this.framing = notNull("framing", framing);
    return this;
  }

  /** How long to wait between sweeps; default {@link Backoff#exponential()}. */
  public ConnectionBuilder backoff(Backoff backoff) {
    this.backoff = notNull("backoff", backoff);
    return this;
  }

  /** The bound on one attempt (TCP connect and TLS handshake); default 10 s. */
  public ConnectionBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = positive("connectTimeout", timeout);
    return this;
  }

  /**
   * How many consecutive failed attempts (one per endpoint tried) before giving up and going to
   * CLOSED with the last cause; {@code 0} (the default) retries forever.
   */
  public ConnectionBuilder maxAttempts(int attempts) {
    this.maxAttempts = range("maxAttempts", attempts, 0, Integer.MAX_VALUE);
    return this;
  }

  /** An application heartbeat; default off. */
  public ConnectionBuilder heartbeat(Heartbeat heartbeat) {
    this.heartbeat = notNull("heartbeat", heartbeat);
    return this;
  }

  /**
   * Bounds the frames waiting while disconnected (and waiting for a writable channel while
   * connected); default 10 000 frames and 16 MiB. When full, {@code send} fails at once.
   */
  public ConnectionBuilder offlineQueue(int maxFrames, long maxBytes) {
    this.queueFrames = range("maxFrames", maxFrames, 1, Integer.MAX_VALUE);
    this.queueBytes = range("maxBytes", maxBytes, 1L, Long.MAX_VALUE);
    return this;
  }

  /** Fail sends at once while not CONNECTED instead of queueing them. */
  public ConnectionBuilder rejectWhileDisconnected() {
    this.rejectWhileDisconnected = true;
    return this;
  }

  /** Receives every inbound frame, on the event loop: do not block. Exceptions are logged. */
  public ConnectionBuilder onMessage(Consumer<byte[]> handler) {
    this.onMessage = notNull("handler", handler);
    return this;
  }

  /** Adds a listener; repeatable. */
  public ConnectionBuilder listener(ConnectionListener listener) {
    listeners.add(notNull("listener", listener));
    return this;
  }

  /** TLS with this context; the server's certificate is checked against the endpoint's host. */
  public ConnectionBuilder tls(SSLContext context) {
    this.sslContext = notNull("context", context);
    return this;
  }

  /** Turns hostname verification off (default on). Only for tests and private PKIs. */
  public ConnectionBuilder hostnameVerification(boolean enabled) {
    this.hostnameVerification = enabled;
    return this;
  }

  /** How long a connection must stay up before the backoff starts again from its initial delay. */
  public ConnectionBuilder stableAfter(Duration duration) {
    this.stableAfter = positive("stableAfter", duration);
    return this;
  }

  /** The bound on {@code closeAsync()}'s flush of queued frames; default 5 s. */
  public ConnectionBuilder closeTimeout(Duration timeout) {
    this.closeTimeout = positive("closeTimeout", timeout);
    return this;
  }

  /**
   * The source of backoff jitter; default the event-loop thread's {@code ThreadLocalRandom}. Pass
   * a generator that returns fixed values to get exact delays in a test.
   */
  public ConnectionBuilder random(RandomGenerator random) {
    this.random = notNull("random", random);
    return this;
  }

  /** Runs on this group instead of Redial's shared one (the caller shuts it down). */
  public ConnectionBuilder eventLoopGroup(EventLoopGroup group) {
    this.eventLoopGroup = notNull("group", group);
    return this;
  }

  /**
   * Checks the configuration as a whole and creates the connection, in state IDLE.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public Connection build() {
    return build(Scheduler::of, Ticker.system());
  }

  Connection build(Function<io.netty.channel.EventLoop, Scheduler> schedulers, Ticker ticker) {
    return new ManagedConnection(config(), schedulers, ticker);
  }

  ConnectionConfig config() {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException(
          "endpoint: at least one endpoint is required, but none was given for connection '"
              + name + "'");
    }
    if (heartbeat != null) {
      byte[] ping = heartbeat.pingFrame();
      if (ping.length > framing.maxFrameBytes()) {
        throw new IllegalArgumentException(
            "heartbeat pingFrame must be at most " + framing.maxFrameBytes()
                + " bytes (the framing's maximum), but was " + ping.length);
      }
      if (framing.type() == Framing.Type.LINES) {
        for (byte b : ping) {
          if (b == '\n' || b == '\r') {
            throw new IllegalArgumentException(
                "heartbeat pingFrame must not contain a line break with Framing.lines");
          }
        }
      }
    }
    Duration timeout = connectTimeout;
    if (timeout == null) {
      timeout = DEFAULT_CONNECT_TIMEOUT;
      if (backoff.minConnectTimeout().compareTo(timeout) > 0) {
        timeout = backoff.minConnectTimeout();
      }
    }
    return new ConnectionConfig(
        name,
        endpoints,
        framing,
        backoff,
        timeout,
        maxAttempts,
        heartbeat,
        queueFrames,
        queueBytes,
        rejectWhileDisconnected,
        onMessage,
        listeners,
        sslContext,
        hostnameVerification,
        stableAfter,
        closeTimeout,
        random != null ? random : ConnectionConfig.defaultRandom(),
        eventLoopGroup);
  }
}
