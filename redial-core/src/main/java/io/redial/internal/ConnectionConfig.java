package io.redial.internal;

import io.netty.channel.EventLoopGroup;
import io.redial.Backoff;
import io.redial.ConnectionListener;
import io.redial.Framing;
import io.redial.Handshake;
import io.redial.Heartbeat;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;

/**
 * A connection's validated, immutable configuration, made by the builders' {@code build()}.
 *
 * @param heartbeat null when off
 * @param ping makes one heartbeat ping message; null when the heartbeat is off
 * @param sslContext null for plain TCP
 * @param eventLoopGroup null for Redial's shared default group
 * @param handshake null when none
 * @param correlated whether request() is possible
 * @param replyKey the reply-key function under Correlation.byKey; null for fifo
 * @param requestKey the request-key function under Correlation.byKey; null for fifo
 * @param queueTimeout null: queued messages wait as long as it takes
 * @param queueFullWait null: a full queue refuses at once
 * @param maxConnectionAge null: channels live as long as they are healthy
 */
public record ConnectionConfig<M>(
    String name,
    List<Endpoint> endpoints,
    MessageCodec<M> codec,
    Backoff backoff,
    Duration connectTimeout,
    int maxAttempts,
    Heartbeat heartbeat,
    Supplier<?> ping,
    int offlineMaxFrames,
    long offlineMaxBytes,
    boolean rejectWhileDisconnected,
    Consumer<? super M> onMessage,
    List<ConnectionListener> listeners,
    SSLContext sslContext,
    boolean hostnameVerification,
    Duration stableAfter,
    Duration closeTimeout,
    RandomGenerator random,
    EventLoopGroup eventLoopGroup,
    Handshake<M> handshake,
    boolean correlated,
    Function<? super M, ?> requestKey,
    Function<? super M, ?> replyKey,
    Duration queueTimeout,
    Duration queueFullWait,
    Duration maxConnectionAge) {

  public ConnectionConfig {
    endpoints = List.copyOf(endpoints);
    listeners = List.copyOf(listeners);
  }

  /** The framing of a {@code byte[]} connection; null for a typed codec. */
  public Framing framing() {
    return codec instanceof MessageCodec.Frames f ? f.framing() : null;
  }

  /** What the lifecycle needs of this configuration. */
  public Lifecycle.Settings lifecycleSettings() {
    return new Lifecycle.Settings(name, endpoints, backoff, random, maxAttempts,
        stableAfter.toNanos(), connectTimeout.toNanos(), closeTimeout.toNanos(), handshake != null,
        maxConnectionAge == null ? 0 : maxConnectionAge.toNanos());
  }

  /** Jitter from the event-loop thread's {@code ThreadLocalRandom}: nothing kept per connection. */
  public static RandomGenerator defaultRandom() {
    return LoopRandom.INSTANCE;
  }
}
