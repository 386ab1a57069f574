package io.redial.internal;

import io.netty.channel.EventLoopGroup;
import io.redial.Backoff;
import io.redial.ConnectionListener;
import io.redial.Framing;
import io.redial.Heartbeat;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;

/**
 * A connection's validated, immutable configuration, made by {@code ConnectionBuilder.build()}.
 *
 * @param heartbeat null when off
 * @param sslContext null for plain TCP
 * @param eventLoopGroup null for Redial's shared default group
 */
public record ConnectionConfig(
    String name,
    List<Endpoint> endpoints,
    Framing framing,
    Backoff backoff,
    Duration connectTimeout,
    int maxAttempts,
    Heartbeat heartbeat,
    int offlineMaxFrames,
    long offlineMaxBytes,
    boolean rejectWhileDisconnected,
    Consumer<byte[]> onMessage,
    List<ConnectionListener> listeners,
    SSLContext sslContext,
    boolean hostnameVerification,
    Duration stableAfter,
    Duration closeTimeout,
    RandomGenerator random,
    EventLoopGroup eventLoopGroup) {

  public ConnectionConfig {
    endpoints = List.copyOf(endpoints);
    listeners = List.copyOf(listeners);
  }

  /** Jitter from the event-loop thread's {@code ThreadLocalRandom}: nothing kept per connection. */
  public static RandomGenerator defaultRandom() {
    return LoopRandom.INSTANCE;
  }
}
