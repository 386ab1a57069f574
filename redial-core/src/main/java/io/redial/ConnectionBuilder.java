package io.redial;

import static io.redial.internal.Checks.notNull;

import io.netty.channel.EventLoop;
import io.redial.internal.ConnectionConfig;
import io.redial.internal.FrameConnection;
import io.redial.internal.MessageCodec;
import io.redial.internal.Scheduler;
import io.redial.internal.Ticker;
import java.time.Duration;
import java.util.function.Function;

/**
 * Configures a {@link Connection} of {@code byte[]} frames. Every setter checks its argument at
 * once; {@link #build()} checks the whole. A builder is not thread-safe; the connection it builds
 * is.
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
public final class ConnectionBuilder extends BuilderBase<byte[], ConnectionBuilder> {
  /** Default per-attempt connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = BuilderBase.DEFAULT_CONNECT_TIMEOUT;
  /** Default offline queue bound, in frames. */
  public static final int DEFAULT_QUEUE_FRAMES = BuilderBase.DEFAULT_QUEUE_FRAMES;
  /** Default offline queue bound, in payload bytes (16 MiB). */
  public static final long DEFAULT_QUEUE_BYTES = BuilderBase.DEFAULT_QUEUE_BYTES;
  /** Default time a connection must stay up before the backoff resets. */
  public static final Duration DEFAULT_STABLE_AFTER = BuilderBase.DEFAULT_STABLE_AFTER;
  /** Default bound on {@code closeAsync()}'s flush. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = BuilderBase.DEFAULT_CLOSE_TIMEOUT;

  private Framing framing = Framing.lengthPrefixed();

  ConnectionBuilder(String name) {
    super(name);
  }

  /** How frames are cut; default {@link Framing#lengthPrefixed()}. */
  public ConnectionBuilder framing(Framing framing) {
    this.framing = notNull("framing", framing);
    return this;
  }

  /**
   * Checks the configuration as a whole and creates the connection, in state IDLE.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public Connection build() {
    return build(Scheduler.LOOP, Ticker.system());
  }

  Connection build(Function<EventLoop, Scheduler> schedulers, Ticker ticker) {
    return watch(new FrameConnection(config(), schedulers, ticker));
  }

  @Override
  MessageCodec<byte[]> codec() {
    return MessageCodec.of(framing);
  }

  @Override
  ConnectionConfig<byte[]> config() {
    return super.config();
  }
}
