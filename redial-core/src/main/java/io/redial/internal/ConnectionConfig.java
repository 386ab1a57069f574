package io.redial.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.resolver.AddressResolverGroup;
import io.redial.Backoff;
import io.redial.ConnectionListener;
import io.redial.Framing;
import io.redial.Handshake;
import io.redial.Heartbeat;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collection;
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
 * @param tls gives the TLS context for each attempt; null for plain TCP
 * @param proxy null to connect directly
 * @param tuning TCP keepalive and TCP_USER_TIMEOUT; null for the defaults
 * @param eventLoopGroup null for Redial's shared default group
 * @param protocol the protocol options; null when none is set (most byte[] connections), so that
 *     they cost an idle connection one reference
 * @param routing endpoint discovery, shuffling and the resolver; null when none is set
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
    Supplier<SSLContext> tls,
    boolean hostnameVerification,
    ProxySettings proxy,
    SocketTuning tuning,
    Duration stableAfter,
    Duration closeTimeout,
    RandomGenerator random,
    EventLoopGroup eventLoopGroup,
    Protocol<M> protocol,
    Routing routing) implements LifecycleTypes.Settings {

  /**
   * Where attempts go, beyond the fixed endpoint list.
   *
   * @param endpointSupplier asked at every sweep instead of the fixed list; null: the list
   * @param shuffleEndpoints each sweep's order is shuffled
   * @param resolver resolves host names; null: Redial's default (non-blocking DNS)
   */
  public record Routing(
      Supplier<? extends Collection<? extends SocketAddress>> endpointSupplier,
      boolean shuffleEndpoints,
      AddressResolverGroup<? extends SocketAddress> resolver) {}

  public Supplier<? extends Collection<? extends SocketAddress>> endpointSupplier() {
    return routing == null ? null : routing.endpointSupplier();
  }

  public boolean shuffleEndpoints() {
    return routing != null && routing.shuffleEndpoints();
  }

  public AddressResolverGroup<? extends SocketAddress> resolver() {
    return routing == null ? null : routing.resolver();
  }

  /**
   * What a protocol adds to a connection.
   *
   * @param handshake null when none
   * @param correlated whether request() is possible
   * @param requestKey the request-key function under Correlation.byKey; null for fifo
   * @param replyKey the reply-key function under Correlation.byKey; null for fifo
   * @param queueTimeout null: queued messages wait as long as it takes
   * @param queueFullWait null: a full queue refuses at once
   * @param maxConnectionAge null: channels live as long as they are healthy
   */
  public record Protocol<M>(
      Handshake<M> handshake,
      boolean correlated,
      Function<? super M, ?> requestKey,
      Function<? super M, ?> replyKey,
      Duration queueTimeout,
      Duration queueFullWait,
      Duration maxConnectionAge) {}

  public Handshake<M> handshake() {
    return protocol == null ? null : protocol.handshake();
  }

  public boolean correlated() {
    return protocol != null && protocol.correlated();
  }

  public Function<? super M, ?> requestKey() {
    return protocol == null ? null : protocol.requestKey();
  }

  public Function<? super M, ?> replyKey() {
    return protocol == null ? null : protocol.replyKey();
  }

  public Duration queueTimeout() {
    return protocol == null ? null : protocol.queueTimeout();
  }

  public Duration queueFullWait() {
    return protocol == null ? null : protocol.queueFullWait();
  }

  public Duration maxConnectionAge() {
    return protocol == null ? null : protocol.maxConnectionAge();
  }

  public ConnectionConfig {
    endpoints = List.copyOf(endpoints);
    listeners = List.copyOf(listeners);
  }

  /** The framing of a {@code byte[]} connection; null for a typed codec. */
  public Framing framing() {
    return codec instanceof MessageCodec.Frames f ? f.framing() : null;
  }

  // ---- what the lifecycle needs (the configuration is its settings: no copy per connection) ---

  @Override
  public long stableAfterNanos() {
    return stableAfter.toNanos();
  }

  @Override
  public long connectTimeoutNanos() {
    return connectTimeout.toNanos();
  }

  @Override
  public long closeTimeoutNanos() {
    return closeTimeout.toNanos();
  }

  @Override
  public boolean hasHandshake() {
    return handshake() != null;
  }

  @Override
  public long maxAgeNanos() {
    Duration age = maxConnectionAge();
    return age == null ? 0 : age.toNanos();
  }

  /** Jitter from the event-loop thread's {@code ThreadLocalRandom}: nothing kept per connection. */
  public static RandomGenerator defaultRandom() {
    return LoopRandom.INSTANCE;
  }
}
