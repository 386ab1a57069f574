package io.redial.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.Future;
import io.redial.RedialException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Makes one brand-new channel per attempt — bootstrap, transport options, TLS, a brand-new
 * pipeline with fresh codec handlers — and reports what happens to it, tagged with its generation,
 * through {@link ChannelEvents}, which the driver implements. It keeps no channel: the driver does. A
 * base class of the driver rather than an object of its own, so that every connection carries one
 * set of these references, not two (see the footprint benchmark).
 */
abstract class ChannelFactory<M> extends TimerSlots implements ChannelEvents, Scheduler {
  final ConnectionConfig<M> config;
  /** Which endpoint and address each attempt goes to; the lifecycle moves through it. */
  final Sweep sweep;
  /** The connection's event loop: every channel of the connection is registered on it. */
  final EventLoop loop;
  private final Class<? extends SocketChannel> channelClass;
  /** The connection's one clock: every timer, heartbeats included. */
  final Scheduler scheduler;
  final Ticker ticker;
  /** The most bytes a frame decoder of this connection held at once (closed channels only). */
  private volatile int decoderHighWater;

  ChannelFactory(ConnectionConfig<M> config, Function<EventLoop, Scheduler> schedulers,
      Ticker ticker) {
    this.config = config;
    this.sweep = new Sweep(config.name(), config.endpoints(), config.endpointSupplier(),
        config.shuffleEndpoints(), config.random());
    EventLoopGroup group =
        config.eventLoopGroup() != null ? config.eventLoopGroup() : Transport.sharedGroup();
    this.loop = group.next();
    this.channelClass = Transport.channelClass(group, loop);
    this.scheduler = schedulers == Scheduler.LOOP ? this : schedulers.apply(loop);
    this.ticker = ticker;
    if (config.tuning() != null) {
      config.tuning().log(config.name(), channelClass == EpollSocketChannel.class);
    }
  }

  /** {@link Scheduler#LOOP}: the event loop's own timer wheel. */
  @Override
  public final Cancellable schedule(Runnable task, long delayNanos) {
    var future = loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  /**
   * The most bytes any closed channel's frame decoder held at once: the proof that a hostile
   * peer's oversized frame was refused before it was buffered.
   */
  public int decoderHighWater() {
    return decoderHighWater;
  }

  /**
   * Creates channel {@code gen} and connects it to the sweep's current target, resolving its name
   * first (without blocking the event loop) when it has one. Returns null when there is no channel
   * to keep: the target could not be used, or the channel was never created or registered (out of
   * file descriptors); then the failure and the close are reported before this returns.
   */
  final Channel open(long gen) {
    Sweep.Target target = sweep.current();
    if (target.error() != null) { // the endpoints supplier had nothing usable: no channel at all
      connectFailed(gen, RedialException.wrap(what(gen) + ": " + target.error().getMessage(),
          target.error()));
      channelClosed(gen);
      return null;
    }
    Endpoint endpoint = target.endpoint();
    Attempt attempt = new Attempt(gen);
    ChannelFuture registered =
        newBootstrap(endpoint.isUnix()).handler(new Init(attempt, endpoint)).register();
    Channel ch = registered.channel();
    if (registered.isDone() && !registered.isSuccess() && !ch.isOpen()
        && !ch.closeFuture().isDone()) {
      // The channel was never created or registered (EMFILE: out of file descriptors). No
      // descriptor was opened and its close future will never complete: the attempt is over now.
      connectFailed(gen, RedialException.wrap(
          what(gen) + ": could not create a channel for " + target.label(), registered.cause()));
      channelClosed(gen);
      return null;
    }
    attempt.start(ch, target);
    return ch;
  }

  /** Names attempt {@code gen} in messages; built only when a message needs it. */
  private String what(long gen) {
    return "connection '" + config.name() + "' generation " + gen;
  }

  /**
   * One attempt's channel from registration to its close. The channel is registered before the
   * name is resolved (as Netty's own bootstrap does), so that the lifecycle's connect timer can
   * close it while the resolver still waits for an answer.
   *
   * <p>This is the only per-attempt object an open channel keeps (as its close listener), so it
   * holds flags, not the strings, promises and targets of the attempt: those live in the
   * listeners that need them and go once the connect outcome is known (see the footprint
   * benchmark).
   *
   * <p>The close is reported to the lifecycle at once when it comes before a connect was
   * started (registration, resolution, the connect timer), and otherwise only once the attempt's
   * outcome is known: Netty completes the close future before the pipeline hears
   * channelInactive, and a proxy's refusal (an HTTP 403 read to the end of the stream) or a TLS
   * failure reaches the front only then. The lifecycle must hear that real cause first, not
   * "closed before it connected". Likewise when a name does not resolve, Netty closes the channel
   * (even inside connect()) before it fails the connect future. All on the event loop.
   */
  private final class Attempt implements ChannelFutureListener, PipelineFront.Outcome {
    private final long gen;
    private Channel ch;
    /** Set in initChannel: the proxy or TLS handlers say when the transport is up. */
    boolean front;
    /** The connect call was made. */
    private boolean connecting;
    /** The connect outcome (with a front, the front's too) was reported. */
    private boolean outcomeReported;
    /** With a front: the TCP connect succeeded. */
    private boolean tcpUp;
    /** With a front: the front reported its outcome. */
    private boolean settled;
    private boolean closeReported;

    Attempt(long gen) {
      this.gen = gen;
    }

    void start(Channel ch, Sweep.Target target) {
      this.ch = ch;
      ch.closeFuture().addListener(this);
      if (!target.needsResolution() || config.proxy() != null) {
        connect(target); // with a proxy, the proxy resolves the endpoint's name, on its network
        return;
      }
      Endpoint endpoint = target.endpoint();
      InetSocketAddress name = InetSocketAddress.createUnresolved(endpoint.host(), endpoint.port());
      Future<? extends List<? extends SocketAddress>> resolving;
      try {
        resolving = resolveAll(resolverGroup(), name);
      } catch (RuntimeException e) {
        failResolution(endpoint, e);
        return;
      }
      resolving.addListener(f -> {
        if (!ch.isOpen()) {
          return; // the attempt ended while the resolver worked (its timeout): nothing to do
        }
        List<? extends SocketAddress> addresses = resolving.getNow();
        if (!f.isSuccess() || addresses == null || addresses.isEmpty()) {
          failResolution(endpoint, f.isSuccess()
              ? new UnknownHostException(endpoint.host() + ": the resolver returned no address")
              : f.cause());
          return;
        }
        sweep.resolved(addresses);
        connect(sweep.current());
      });
    }

    /** The channel's close future completed. */
    @Override
    public void operationComplete(ChannelFuture closed) {
      if (!connecting || outcomeReported) {
        reportClose();
      }
    }

    private void reportClose() {
      if (!closeReported) {
        closeReported = true;
        channelClosed(gen);
      }
    }

    /** The outcome is reported: a close that came first is reported now, a later one at once. */
    private void outcomeReported() {
      outcomeReported = true;
      if (ch.closeFuture().isDone()) {
        reportClose();
      }
    }

    private void failResolution(Endpoint endpoint, Throwable cause) {
      connectFailed(gen, RedialException.wrap(what(gen) + ": could not resolve "
          + endpoint.host() + " (" + endpoint.label() + "): " + cause, cause));
      ch.close();
    }

    private void connect(Sweep.Target target) {
      ChannelPromise promise = ch.newPromise();
      connecting = true;
      promise.addListener(f -> {
        if (!f.isSuccess()) {
          connectFailed(gen, connectError(target, f.cause()));
          outcomeReported();
        } else if (!front) {
          transportUp(gen);
          outcomeReported();
        } else { // the proxy or TLS handlers say when the transport is up
          tcpUp = true;
          if (settled) {
            outcomeReported();
          }
        }
      });
      SocketAddress address = config.proxy() != null
          ? config.proxy().destination(target.endpoint())
          : Transport.connectAddress(ch, target.address());
      ch.connect(address, promise);
    }

    @Override
    public void up() {
      transportUp(gen);
      settle();
    }

    @Override
    public void failed(RedialException cause) {
      connectFailed(gen, cause);
      settle();
    }

    private void settle() {
      settled = true;
      if (tcpUp) {
        outcomeReported();
      }
    }

    private RedialException connectError(Sweep.Target target, Throwable cause) {
      if (target.endpoint().isUnix()
          && !Files.exists(target.endpoint().unix().getPath(), LinkOption.NOFOLLOW_LINKS)) {
        return Errors.NO_SOCKET_FILE.exception(what(gen) + ": connect to " + target.label()
            + " failed: no socket file at " + target.endpoint().host()
            + " (is the server running?): " + cause, cause);
      }
      return RedialException.wrap(what(gen) + ": connect to " + target.label()
          + (config.proxy() == null ? "" : " through " + config.proxy()) + " failed", cause);
    }
  }

  /** The resolver group of this connection: the configured one, or Redial's default. */
  private AddressResolverGroup<? extends SocketAddress> resolverGroup() {
    AddressResolverGroup<? extends SocketAddress> group = config.resolver();
    return group != null ? group : Resolvers.defaultGroup();
  }

  private <T extends SocketAddress> Future<? extends List<? extends SocketAddress>> resolveAll(
      AddressResolverGroup<T> group, InetSocketAddress name) {
    AddressResolver<T> resolver = group.getResolver(loop);
    if (!resolver.isSupported(name)) {
      throw new IllegalArgumentException("the resolver " + group + " does not support " + name);
    }
    return resolver.resolveAll(name);
  }

  /**
   * A bootstrap for one attempt. Made per attempt rather than kept: an idle connection should not
   * carry a bootstrap's option and attribute maps around (see the footprint benchmark).
   */
  private Bootstrap newBootstrap(boolean unix) {
    if (unix) { // no TCP options on a Unix domain socket
      return new Bootstrap().group(loop).channel(Transport.domainChannelClass(channelClass));
    }
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(channelClass)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.TCP_NODELAY, true)
            // the attempt's bound is the lifecycle's CONNECT timer (TCP, TLS and handshake)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0);
    if (channelClass == EpollSocketChannel.class && config.heartbeat() != null) {
      long bound = config.heartbeat().interval().plus(config.heartbeat().timeout()).toMillis();
      b.option(EpollChannelOption.TCP_USER_TIMEOUT, (int) Math.min(Integer.MAX_VALUE, bound));
    }
    if (config.tuning() != null) { // after the heartbeat's default: an explicit knob wins
      config.tuning().apply(b, channelClass == EpollSocketChannel.class);
    }
    return b;
  }

  /**
   * Initializes each brand-new channel with a brand-new pipeline. Removed from the pipeline once
   * it ran and referenced by nothing after: a channel initializer carries a concurrent map.
   */
  private final class Init extends ChannelInitializer<Channel> {
    private final Attempt attempt;
    private final Endpoint endpoint;

    Init(Attempt attempt, Endpoint endpoint) {
      this.attempt = attempt;
      this.endpoint = endpoint;
    }

    @Override
    protected void initChannel(Channel ch) {
      long gen = attempt.gen;
      ChannelPipeline p = ch.pipeline();
      try {
        attempt.front = PipelineFront.install(p, config, endpoint, what(gen), attempt);
      } catch (RedialException e) {
        connectFailed(gen, e);
        ch.close();
        return;
      }
      // between the transport and the codec: the codec's output is batched here
      p.addLast(WriteBatcher.NAME, new WriteBatcher(gen, ChannelFactory.this, config.tls() != null));
      FrameCodec.BoundedDecoder decoder;
      try {
        decoder = config.codec().addHandlers(p);
      } catch (RuntimeException e) {
        connectFailed(gen, Errors.CODEC_FAILED.exception(
            what(gen) + ": the codec's handlers"
                + " could not be added to the new pipeline: " + e, e));
        ch.close();
        return;
      }
      if (config.heartbeat() != null) {
        p.addLast("heartbeat", new HeartbeatHandler(config.heartbeat().interval().toNanos(),
            config.heartbeat().timeout().toNanos(), scheduler, ticker, false));
      }
      p.addLast("redial", new Inbound(gen, decoder));
    }
  }

  /** The last handler of a channel's pipeline; tags everything with the channel's generation. */
  private final class Inbound extends ChannelInboundHandlerAdapter {
    private final long gen;
    private final FrameCodec.BoundedDecoder decoder; // null when the codec has none to report

    Inbound(long gen, FrameCodec.BoundedDecoder decoder) {
      this.gen = gen;
      this.decoder = decoder;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (decoder != null && decoder.highWater() > decoderHighWater) {
        decoderHighWater = decoder.highWater();
      }
      super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      received(gen, msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == HeartbeatHandler.PING_DUE) {
        pingDue(gen);
      } else if (evt == HeartbeatHandler.MISSED) {
        pingMissed(gen);
      } else {
        super.userEventTriggered(ctx, evt);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
      writabilityChanged(gen);
      super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      String what =
          "connection '" + config.name() + "' generation " + gen + " ("
              + ctx.channel().localAddress() + " -> " + ctx.channel().remoteAddress() + ")";
      RedialException error;
      if (cause instanceof TooLongFrameException
          || cause.getCause() instanceof TooLongFrameException) {
        Object limit = config.framing() != null
            ? "the maximum of " + config.framing().maxFrameBytes() + " bytes (" + config.framing()
                + ")"
            : "the codec's maximum";
        error = Errors.FRAME_TOO_LARGE.exception(
            what + ": the peer sent a frame over " + limit
                + "; closing the channel before buffering it: " + cause.getMessage(),
            cause);
      } else {
        error = RedialException.wrap(what + " failed", cause);
      }
      channelLost(gen, error);
    }
  }
}
