package io.redial.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.resolver.NoopAddressResolverGroup;
import io.redial.RedialException;
import java.util.function.Function;

/**
 * Makes one brand-new channel per attempt — bootstrap, transport options, TLS, a brand-new
 * pipeline with fresh codec handlers — and reports what happens to it, tagged with its generation,
 * through {@link ChannelEvents}, which the driver implements. It keeps no channel: the driver does. A
 * base class of the driver rather than an object of its own, so that every connection carries one
 * set of these references, not two (see the footprint benchmark).
 */
abstract class ChannelFactory<M> extends TimerSlots implements ChannelEvents {
  final ConnectionConfig<M> config;
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
    EventLoopGroup group =
        config.eventLoopGroup() != null ? config.eventLoopGroup() : Transport.sharedGroup();
    this.loop = group.next();
    this.channelClass = Transport.channelClass(group, loop);
    this.scheduler = schedulers.apply(loop);
    this.ticker = ticker;
    if (config.tuning() != null) {
      config.tuning().log(config.name(), channelClass == EpollSocketChannel.class);
    }
  }

  /**
   * The most bytes any closed channel's frame decoder held at once: the proof that a hostile
   * peer's oversized frame was refused before it was buffered.
   */
  public int decoderHighWater() {
    return decoderHighWater;
  }

  /**
   * Creates channel {@code gen} and connects it to {@code endpoint}. The returned channel may never
   * have been registered (out of file descriptors): then the failure and the close are reported
   * before this returns.
   */
  final Channel open(long gen, Endpoint endpoint) {
    String what = "connection '" + config.name() + "' generation " + gen;
    Init init = new Init(gen, endpoint, what);
    ChannelFuture connected = newBootstrap().handler(init).connect(
        config.proxy() == null ? endpoint.connectAddress() : config.proxy().destination(endpoint));
    Channel ch = connected.channel();
    if (connected.isDone() && !connected.isSuccess() && !ch.isOpen()
        && !ch.closeFuture().isDone()) {
      // The channel was never created or registered (EMFILE: out of file descriptors). No
      // descriptor was opened and its close future will never complete: the attempt is over now.
      connectFailed(gen, RedialException.wrap(
          what + ": could not create a channel for " + endpoint, connected.cause()));
      channelClosed(gen);
      return ch;
    }
    connected.addListener(f -> {
      if (!f.isSuccess()) {
        connectFailed(gen, RedialException.wrap(what + ": connect to " + endpoint
            + (config.proxy() == null ? "" : " through " + config.proxy()) + " failed",
            f.cause()));
        init.watchClose(ch);
      } else if (!init.front) {
        transportUp(gen);
        init.watchClose(ch);
      } else {
        init.connected(ch);
      }
    });
    return ch;
  }

  /**
   * A bootstrap for one attempt. Made per attempt rather than kept: an idle connection should not
   * carry a bootstrap's option and attribute maps around (see the footprint benchmark).
   */
  private Bootstrap newBootstrap() {
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
    if (config.proxy() != null) {
      // the endpoint's name goes to the proxy unresolved: the proxy resolves it, on its network
      b.resolver(NoopAddressResolverGroup.INSTANCE);
    }
    return b;
  }

  /** Initializes each brand-new channel with a brand-new pipeline. */
  private final class Init extends ChannelInitializer<Channel> implements PipelineFront.Outcome {
    private final long gen;
    private final Endpoint endpoint;
    private final String what;
    /** Set in initChannel: the proxy or TLS handlers say when the transport is up. */
    boolean front;
    /** The TCP connect succeeded (with a front); set on the event loop, as the next two. */
    private Channel connected;
    /** The front has reported its outcome. */
    private boolean settled;
    /** The close listener is registered. */
    private boolean watching;

    Init(long gen, Endpoint endpoint, String what) {
      this.gen = gen;
      this.endpoint = endpoint;
      this.what = what;
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

    void connected(Channel ch) {
      connected = ch;
      if (settled) {
        watchClose(ch);
      }
    }

    private void settle() {
      settled = true;
      if (connected != null) {
        watchClose(connected);
      }
    }

    /**
     * Reports the channel's close to the lifecycle, registered only once the attempt's outcome is
     * known: Netty completes the close future before the pipeline hears channelInactive, and a
     * proxy's refusal (an HTTP 403 read to the end of the stream) or a TLS failure reaches the
     * front only then. The lifecycle must hear that real cause first, not "closed before it
     * connected". Likewise when a name does not resolve, Netty closes the channel (even inside
     * connect()) before it fails the connect future. Registering late also lets the connect
     * promise be collected.
     */
    void watchClose(Channel ch) {
      if (!watching) {
        watching = true;
        ch.closeFuture().addListener(c -> channelClosed(gen));
      }
    }

    @Override
    protected void initChannel(Channel ch) {
      ChannelPipeline p = ch.pipeline();
      try {
        front = PipelineFront.install(p, config, endpoint, what, this);
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
            what + ": the codec's handlers"
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
