package io.redial;

import static io.redial.internal.Checks.notNull;
import static io.redial.internal.Checks.positive;
import static io.redial.internal.Checks.range;

import io.netty.channel.EventLoopGroup;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.NetUtil;
import io.redial.internal.ConnectionConfig;
import io.redial.internal.Endpoint;
import io.redial.internal.MessageCodec;
import io.redial.internal.ProxySettings;
import io.redial.internal.SocketTuning;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;

/**
 * The setters {@link ConnectionBuilder} and {@link MessageConnectionBuilder} share. Every setter
 * checks its argument at once; {@code build()} checks the whole. Not thread-safe.
 *
 * @param <M> the message type
 * @param <B> the concrete builder, returned by every setter
 */
abstract class BuilderBase<M, B extends BuilderBase<M, B>> {
  /** Default per-attempt connect timeout. */
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Default offline queue bound, in messages. */
  static final int DEFAULT_QUEUE_FRAMES = 10_000;
  /** Default offline queue bound, in bytes (16 MiB). */
  static final long DEFAULT_QUEUE_BYTES = 16L * 1024 * 1024;
  /** Default time a connection must stay up before the backoff resets. */
  static final Duration DEFAULT_STABLE_AFTER = Duration.ofSeconds(5);
  /** Default bound on {@code closeAsync()}'s flush. */
  static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  final String name;
  private final List<Endpoint> endpoints = new ArrayList<>();
  private Backoff backoff = Backoff.exponential();
  private Duration connectTimeout; // null: the default, or the backoff's minimum if larger
  private int maxAttempts;
  Heartbeat heartbeat;
  private int queueFrames = DEFAULT_QUEUE_FRAMES;
  private long queueBytes = DEFAULT_QUEUE_BYTES;
  private boolean rejectWhileDisconnected;
  private Consumer<M> onMessage = m -> {};
  private final List<ConnectionListener> listeners = new ArrayList<>();
  private Supplier<SSLContext> tls;
  private boolean hostnameVerification = true;
  private ProxySettings proxy;
  private SocketTuning tuning = SocketTuning.NONE;
  private Duration stableAfter = DEFAULT_STABLE_AFTER;
  private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
  private RandomGenerator random;
  private EventLoopGroup eventLoopGroup;
  private Handshake<M> handshake;
  private Correlation<M> correlation;
  private Duration queueTimeout;
  private Duration queueFullWait;
  private Duration maxConnectionAge;
  private boolean jmx;
  private Supplier<? extends Collection<? extends SocketAddress>> endpointSupplier;
  private boolean shuffleEndpoints;
  private AddressResolverGroup<? extends SocketAddress> resolver;

  BuilderBase(String name) {
    notNull("name", name);
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must be a non-blank string, but was '" + name + "'");
    }
    this.name = name;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** Adds an endpoint; repeat for failover, tried in order. The host is resolved per attempt. */
  public B endpoint(String host, int port) {
    notNull("host", host);
    if (host.isBlank()) {
      throw new IllegalArgumentException(
          "host must be a non-empty host name or address, but was '" + host + "'");
    }
    range("port", port, 1, 65_535);
    String h = host.strip();
    // a literal address needs no resolver; a name is resolved at every attempt
    endpoints.add(new Endpoint(h, port, NetUtil.createInetAddressFromIpAddressString(h)));
    return self();
  }

  /**
   * Adds an endpoint: an {@link InetSocketAddress} (an unresolved one is resolved at every
   * attempt) or a {@link UnixDomainSocketAddress} (a socket file, on NIO and epoll alike); repeat
   * for failover, tried in order.
   */
  public B endpoint(SocketAddress address) {
    notNull("address", address);
    if (address instanceof InetSocketAddress inet) {
      return endpoint(inet);
    }
    if (address instanceof UnixDomainSocketAddress unix) {
      if (unix.getPath().toString().isEmpty()) {
        throw new IllegalArgumentException(
            "address must name a socket file, but was an unnamed Unix domain socket address");
      }
      endpoints.add(Endpoint.unix(unix));
      return self();
    }
    throw new IllegalArgumentException("address must be an InetSocketAddress or a"
        + " UnixDomainSocketAddress, but was " + address + " of type "
        + address.getClass().getName());
  }

  /**
   * Discovery: {@code supplier} is asked for the endpoints at the start of every sweep (on the
   * event loop: return quickly, do not block), instead of a fixed list. An empty answer, a
   * {@code null}, an unusable address or an exception fails that sweep's attempt with
   * {@code NO_ENDPOINTS}, and the supplier is asked again after the backoff. Not combinable with
   * {@code endpoint(...)}.
   */
  public B endpoints(Supplier<? extends Collection<? extends SocketAddress>> supplier) {
    this.endpointSupplier = notNull("supplier", supplier);
    return self();
  }

  /**
   * Tries the endpoints of each sweep in a random order (from {@link #random(RandomGenerator)}), so that a fleet
   * does not pile onto the first one. The order of a name's addresses is kept.
   */
  public B shuffleEndpoints() {
    this.shuffleEndpoints = true;
    return self();
  }

  /**
   * Resolves host names with this group instead of Redial's default (non-blocking DNS from
   * {@code /etc/resolv.conf} and {@code /etc/hosts}); e.g. a {@code DnsAddressResolverGroup}
   * pointed at given name servers. Asked at every attempt; every address it returns is tried.
   */
  public B resolver(AddressResolverGroup<? extends SocketAddress> resolver) {
    this.resolver = notNull("resolver", resolver);
    return self();
  }

  /**
   * Adds an endpoint. An unresolved address is resolved at every attempt; a resolved one is used
   * as is.
   */
  public B endpoint(InetSocketAddress address) {
    notNull("address", address);
    range("port", address.getPort(), 1, 65_535);
    if (address.isUnresolved()) {
      return endpoint(address.getHostString(), address.getPort());
    }
    endpoints.add(Endpoint.of(address));
    return self();
  }

  /** How long to wait between sweeps; default {@link Backoff#exponential()}. */
  public B backoff(Backoff backoff) {
    this.backoff = notNull("backoff", backoff);
    return self();
  }

  /** The bound on one attempt (TCP connect and TLS handshake); default 10 s. */
  public B connectTimeout(Duration timeout) {
    this.connectTimeout = positive("connectTimeout", timeout);
    return self();
  }

  /**
   * How many consecutive failed attempts (one per endpoint tried) before giving up and going to
   * CLOSED with the last cause; {@code 0} (the default) retries forever.
   */
  public B maxAttempts(int attempts) {
    this.maxAttempts = range("maxAttempts", attempts, 0, Integer.MAX_VALUE);
    return self();
  }

  /** An application heartbeat; default off. */
  public B heartbeat(Heartbeat heartbeat) {
    this.heartbeat = notNull("heartbeat", heartbeat);
    return self();
  }

  /**
   * Bounds the frames waiting while disconnected (and waiting for a writable channel while
   * connected); default 10 000 frames and 16 MiB. When full, {@code send} fails at once.
   */
  public B offlineQueue(int maxFrames, long maxBytes) {
    this.queueFrames = range("maxFrames", maxFrames, 1, Integer.MAX_VALUE);
    this.queueBytes = range("maxBytes", maxBytes, 1L, Long.MAX_VALUE);
    return self();
  }

  /** Fail sends at once while not CONNECTED instead of queueing them. */
  public B rejectWhileDisconnected() {
    this.rejectWhileDisconnected = true;
    return self();
  }

  /**
   * Receives every inbound message that answers no request, on the event loop: do not block.
   * Exceptions are logged and the connection goes on. A reference-counted message is released
   * after the handler returns: {@code retain()} it to keep it.
   */
  public B onMessage(Consumer<M> handler) {
    this.onMessage = notNull("handler", handler);
    return self();
  }

  /** Adds a listener; repeatable. */
  public B listener(ConnectionListener listener) {
    listeners.add(notNull("listener", listener));
    return self();
  }

  /**
   * TLS with this context at every attempt; the server's certificate is checked against the
   * endpoint's host, which is also sent as the server name (SNI). Shorthand for
   * {@code tls(() -> context)}.
   */
  public B tls(SSLContext context) {
    notNull("context", context);
    this.tls = () -> context;
    return self();
  }

  /**
   * TLS with a context asked of {@code contexts} at every attempt, so that a rotated client
   * certificate or trust store is used from the next connection on, without a restart. The
   * supplier runs on the connection's event loop: return a context loaded beforehand, do not
   * block. When it throws or returns null, that attempt fails with {@code TLS_CONTEXT_FAILED}
   * and the connection backs off and asks again. The server's certificate is checked against the
   * endpoint's host (see {@link #hostnameVerification}), and the host name, unless it is an IP
   * address, is sent as the server name (SNI).
   */
  public B tls(Supplier<SSLContext> contexts) {
    this.tls = notNull("contexts", contexts);
    return self();
  }

  /**
   * Connects through a SOCKS5 ({@link Proxy.Type#SOCKS}) or HTTP {@code CONNECT}
   * ({@link Proxy.Type#HTTP}) proxy, without credentials. The proxy's address must be resolved;
   * the endpoint's host name is sent to the proxy and resolved there. TLS, when configured, runs
   * end to end with the endpoint inside the tunnel.
   *
   * @throws IllegalArgumentException for {@link Proxy#NO_PROXY} (or any DIRECT proxy), a proxy
   *     whose address is unresolved or not an {@code InetSocketAddress}
   */
  public B proxy(Proxy proxy) {
    this.proxy = ProxySettings.of(proxy, null, null);
    return self();
  }

  /**
   * Connects through a proxy as {@link #proxy(Proxy)}, authenticating with a user name and
   * password: SOCKS5 username/password authentication (RFC 1929: each at most 255 bytes), or
   * HTTP Basic in a {@code Proxy-Authorization} header (a user name without a colon). Basic
   * sends the password readable by anyone on the path to the proxy: keep that path private.
   *
   * @throws IllegalArgumentException as {@link #proxy(Proxy)}, and for a null or empty user
   *     name, a null password, or credentials the proxy's protocol cannot carry
   */
  public B proxy(Proxy proxy, String username, String password) {
    notNull("proxy username", username);
    notNull("proxy password", password);
    this.proxy = ProxySettings.of(proxy, username, password);
    return self();
  }

  /**
   * TCP keepalive probes on every socket, independently of the heartbeat: after {@code idle}
   * without traffic the kernel sends a probe every {@code interval}, and drops the connection
   * after {@code count} unanswered ones. Redial turns SO_KEEPALIVE on always; without this the
   * OS defaults apply (Linux: 2 hours idle, 75 s interval, 9 probes). Whole seconds. Works on
   * epoll and on NIO (through the JDK's extended socket options); {@code build()} refuses it
   * where the JDK cannot set them. Keepalive does not fire while written data is unacknowledged:
   * see {@link #tcpUserTimeout(Duration)}.
   */
  public B tcpKeepAlive(Duration idle, Duration interval, int count) {
    this.tuning = tuning.withKeepAlive(idle, interval, count);
    return self();
  }

  /**
   * {@code TCP_USER_TIMEOUT}: how long written data may stay unacknowledged before the kernel
   * drops the connection (Linux otherwise retransmits for about 15 minutes). Only the native
   * epoll transport can set it: {@code build()} throws {@link IllegalStateException} on NIO.
   * Default on epoll with a heartbeat: the heartbeat's interval plus timeout.
   */
  public B tcpUserTimeout(Duration timeout) {
    this.tuning = tuning.withUserTimeout(timeout);
    return self();
  }

  /** Turns hostname verification off (default on). Only for tests and private PKIs. */
  public B hostnameVerification(boolean enabled) {
    this.hostnameVerification = enabled;
    return self();
  }

  /** How long a connection must stay up before the backoff starts again from its initial delay. */
  public B stableAfter(Duration duration) {
    this.stableAfter = positive("stableAfter", duration);
    return self();
  }

  /** The bound on {@code closeAsync()}'s flush of queued frames; default 5 s. */
  public B closeTimeout(Duration timeout) {
    this.closeTimeout = positive("closeTimeout", timeout);
    return self();
  }

  /**
   * The source of backoff jitter; default the event-loop thread's {@code ThreadLocalRandom}. Pass
   * a generator that returns fixed values to get exact delays in a test.
   */
  public B random(RandomGenerator random) {
    this.random = notNull("random", random);
    return self();
  }

  /** Runs on this group instead of Redial's shared one (the caller shuts it down). */
  public B eventLoopGroup(EventLoopGroup group) {
    this.eventLoopGroup = notNull("group", group);
    return self();
  }

  /**
   * Runs on every new channel after TCP (and TLS), before the connection is CONNECTED and before
   * anything queued is written; the connect timeout bounds it. See {@link Handshake}.
   */
  public B handshake(Handshake<M> handshake) {
    this.handshake = notNull("handshake", handshake);
    return self();
  }

  /** How replies find their requests; needed by {@code request()}. See {@link Correlation}. */
  public B correlation(Correlation<M> correlation) {
    this.correlation = notNull("correlation", correlation);
    return self();
  }

  /**
   * A queued message older than {@code timeout} fails with {@code QUEUE_TIMEOUT} instead of
   * waiting for a connection forever; default: no limit (the queue's size bounds it).
   */
  public B queueTimeout(Duration timeout) {
    this.queueTimeout = positive("queueTimeout", timeout);
    return self();
  }

  /**
   * When the offline queue is full, a message waits up to {@code maxWait} for space (in order)
   * before it fails with {@code QUEUE_FULL}, instead of failing at once. Its future completes
   * later; nothing blocks a thread (a virtual thread may simply {@code join()} it).
   */
  public B queueFullWait(Duration maxWait) {
    this.queueFullWait = positive("queueFullWait", maxWait);
    return self();
  }

  /**
   * Replaces a healthy channel after it has been connected this long (up to 10 % earlier, at
   * random, so a fleet does not reconnect at once), as {@code reconnect()} does: load balancers
   * rebalance and DNS changes are followed. Default: never.
   */
  public B maxConnectionAge(Duration age) {
    this.maxConnectionAge = positive("maxConnectionAge", age);
    return self();
  }

  /**
   * Registers an MBean for the connection on the platform MBean server,
   * {@code io.redial:type=Connection,name=<name>} (see {@link ConnectionMXBean}): its state,
   * generation and counters, and {@code reconnect()} / {@code resetBackoff()}. It is unregistered
   * when the connection closes. Default off. {@code build()} fails with an
   * {@link IllegalStateException} when that name is registered already (two open connections of
   * one name with {@code jmx()} on).
   */
  public B jmx() {
    this.jmx = true;
    return self();
  }

  /** What every built connection goes through: its MBean, when {@link #jmx()} is on. */
  <C extends MessageConnection<M>> C watch(C connection) {
    if (jmx) {
      try {
        io.redial.internal.JmxHandle.register(connection);
      } catch (RuntimeException e) {
        connection.close(); // an IDLE connection: nothing to flush, nothing to wait for
        throw e;
      }
    }
    return connection;
  }

  /** The codec of the connection being built. */
  abstract MessageCodec<M> codec();

  /** Checks the configuration as a whole. */
  ConnectionConfig<M> config() {
    if (endpoints.isEmpty() && endpointSupplier == null) {
      throw new IllegalArgumentException(
          "endpoint: at least one endpoint is required, but none was given for connection '"
              + name + "'");
    }
    tuning.check(eventLoopGroup);
    if (!endpoints.isEmpty() && endpointSupplier != null) {
      throw new IllegalArgumentException("endpoints: connection '" + name + "' has both "
          + endpoints.size() + " endpoint(...) and an endpoints(supplier); use one or the other");
    }
    MessageCodec<M> codec = codec();
    Supplier<?> ping = null;
    if (heartbeat != null) {
      ping = checkHeartbeat(codec);
    }
    Duration timeout = connectTimeout;
    if (timeout == null) {
      timeout = DEFAULT_CONNECT_TIMEOUT;
      if (backoff.minConnectTimeout().compareTo(timeout) > 0) {
        timeout = backoff.minConnectTimeout();
      }
    }
    return new ConnectionConfig<>(
        name,
        endpoints,
        codec,
        backoff,
        timeout,
        maxAttempts,
        heartbeat,
        ping,
        queueFrames,
        queueBytes,
        rejectWhileDisconnected,
        onMessage,
        listeners,
        tls,
        hostnameVerification,
        proxy,
        tuning.isSet() ? tuning : null,
        stableAfter,
        closeTimeout,
        random != null ? random : ConnectionConfig.defaultRandom(),
        eventLoopGroup,
        protocol(),
        routing());
  }

  /** Discovery, shuffling and the resolver, or null when none was set. */
  private ConnectionConfig.Routing routing() {
    if (endpointSupplier == null && !shuffleEndpoints && resolver == null) {
      return null;
    }
    return new ConnectionConfig.Routing(endpointSupplier, shuffleEndpoints, resolver);
  }

  /** The protocol options, or null when none was set: a plain connection carries none. */
  private ConnectionConfig.Protocol<M> protocol() {
    if (handshake == null && correlation == null && queueTimeout == null && queueFullWait == null
        && maxConnectionAge == null) {
      return null;
    }
    return new ConnectionConfig.Protocol<>(handshake, correlation != null,
        correlation == null ? null : correlation.requestKey(),
        correlation == null ? null : correlation.replyKey(),
        queueTimeout, queueFullWait, maxConnectionAge);
  }

  /** Checks the heartbeat against the codec; returns what makes a ping. */
  private Supplier<?> checkHeartbeat(MessageCodec<M> codec) {
    if (heartbeat.pingsAreMessages()) {
      return heartbeat.pingMessages();
    }
    if (!(codec instanceof MessageCodec.Frames frames)) {
      throw new IllegalArgumentException("heartbeat: a ping frame of bytes needs a Framing, but"
          + " connection '" + name + "' uses " + codec + "; use Heartbeat.of(interval,"
          + " timeout, () -> pingMessage) for a typed codec");
    }
    Framing framing = frames.framing();
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
    return () -> ping;
  }
}
