package io.redial.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.redial.Connection;
import io.redial.ConnectionEvent;
import io.redial.ConnectionListener;
import io.redial.ConnectionState;
import io.redial.ConnectionStats;
import io.redial.RedialException;
import io.redial.internal.Lifecycle.Action;
import io.redial.internal.Lifecycle.AttemptFailed;
import io.redial.internal.Lifecycle.AttemptSucceeded;
import io.redial.internal.Lifecycle.BackoffElapsed;
import io.redial.internal.Lifecycle.CancelRetry;
import io.redial.internal.Lifecycle.ChannelClosed;
import io.redial.internal.Lifecycle.ChannelLost;
import io.redial.internal.Lifecycle.CloseChannel;
import io.redial.internal.Lifecycle.CloseRequested;
import io.redial.internal.Lifecycle.ConnectRequested;
import io.redial.internal.Lifecycle.Drain;
import io.redial.internal.Lifecycle.Drained;
import io.redial.internal.Lifecycle.Emit;
import io.redial.internal.Lifecycle.Event;
import io.redial.internal.Lifecycle.FlushQueue;
import io.redial.internal.Lifecycle.HeartbeatMissed;
import io.redial.internal.Lifecycle.OpenChannel;
import io.redial.internal.Lifecycle.ResetBackoff;
import io.redial.internal.Lifecycle.ScheduleRetry;
import io.redial.internal.Lifecycle.ScheduleStable;
import io.redial.internal.Lifecycle.StableElapsed;
import io.redial.internal.Lifecycle.Terminate;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty driver of a {@link Lifecycle}: it turns channel events into lifecycle events and
 * carries out the lifecycle's actions, with a brand-new channel and pipeline per attempt.
 *
 * <p>Threading: every field below "event loop only" is touched on {@link #loop} only; public
 * methods hop onto it. The few fields other threads read are published explicitly (a volatile
 * state mirror, the connect-future reference, the close future, the waiter list).
 */
public final class ManagedConnection implements Connection {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final ConnectionConfig config;
  private final String name;
  private final EventLoop loop;
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final Lifecycle lifecycle;
  private final Class<? extends SocketChannel> channelClass;
  private final long connectTimeoutNanos;
  private final long closeTimeoutNanos;

  // ---- published to any thread ----------------------------------------------------------------
  /** Mirror of lifecycle.state(), written on the loop at every transition. */
  private volatile ConnectionState publishedState = ConnectionState.IDLE;
  /** Mirror of lifecycle.generation(). */
  private volatile long publishedGeneration;
  /**
   * The future {@code connect()} hands out: null when none is pending (IDLE, or after leaving
   * CONNECTED until the next call), pending while connecting, completed while CONNECTED, failed
   * from CLOSING on. Installed only by compare-and-set ({@link #CONNECT_FUTURE}: a VarHandle, so
   * that an idle connection carries no AtomicReference), so concurrent callers share one future.
   */
  private volatile CompletableFuture<Connection> connectFuture;
  /** Completes (normally) when CLOSED. */
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  /** Threads in {@link #awaitState}; null until the first one waits (most connections never). */
  private volatile ConcurrentLinkedQueue<Waiter> waiters;

  private static final VarHandle CONNECT_FUTURE;
  private static final VarHandle WAITERS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CONNECT_FUTURE = lookup.findVarHandle(
          ManagedConnection.class, "connectFuture", CompletableFuture.class);
      WAITERS = lookup.findVarHandle(
          ManagedConnection.class, "waiters", ConcurrentLinkedQueue.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // ---- event loop only ------------------------------------------------------------------------
  /** The newest channel (generation {@link #channelGen}); null before the first attempt. */
  private Channel channel;
  private long channelGen;
  private Scheduler.Cancellable retryTimer;
  /**
   * The channel that becomes stable (its backoff starts over) once it has been up until
   * {@link #stableAtNanos}; 0 when none. Checked when that channel closes instead of with a timer:
   * only the next backoff delay depends on it, and a timer per connected connection costs every
   * connection heap and every connect a schedule and a cancel (see the footprint benchmark).
   */
  private long stableGen;
  private long stableAtNanos;
  private Scheduler.Cancellable connectTimer;
  private Scheduler.Cancellable drainTimer;
  /** Frames waiting for a connected, writable channel, in send order. */
  private final ArrayDeque<Pending> queue = new ArrayDeque<>(2); // grows when used
  private long queuedBytes;
  /** Frames handed to {@link #channel} whose write has not completed yet, in write order. */
  private final ArrayDeque<Pending> inflight = new ArrayDeque<>(2);
  /** False from CLOSING on: new sends fail at once. */
  private boolean accepting = true;
  private boolean draining;
  private boolean flushScheduled;
  private final ArrayDeque<Event> pendingEvents = new ArrayDeque<>(2);
  private boolean dispatching;
  private long framesSent;
  private long bytesSent;
  private long framesReceived;
  private long bytesReceived;
  /** Failed attempts since the last connect, for logging: the first is a WARN, the rest DEBUG. */
  private int failureStreak;
  private long attemptStartNanos;
  private long connectedAtNanos;
  private long handlerFailures;
  /** The most bytes a frame decoder of this connection held at once (closed channels only). */
  private volatile int decoderHighWater;

  public ManagedConnection(
      ConnectionConfig config, Function<EventLoop, Scheduler> schedulers, Ticker ticker) {
    this.config = config;
    this.name = config.name();
    EventLoopGroup group =
        config.eventLoopGroup() != null ? config.eventLoopGroup() : Transport.sharedGroup();
    this.loop = group.next();
    this.scheduler = schedulers.apply(loop);
    this.ticker = ticker;
    this.lifecycle =
        new Lifecycle(
            name,
            config.endpoints(),
            config.backoff(),
            config.random(),
            config.maxAttempts(),
            config.stableAfter());
    this.connectTimeoutNanos = config.connectTimeout().toNanos();
    this.closeTimeoutNanos = config.closeTimeout().toNanos();
    this.channelClass = Transport.channelClass(group, loop);
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
            // the attempt's bound is our own timer (connect + TLS), driven by the scheduler
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0);
    if (channelClass == EpollSocketChannel.class && config.heartbeat() != null) {
      long bound = config.heartbeat().interval().plus(config.heartbeat().timeout()).toMillis();
      b.option(EpollChannelOption.TCP_USER_TIMEOUT, (int) Math.min(Integer.MAX_VALUE, bound));
    }
    return b;
  }

  // ---- public API (any thread) ----------------------------------------------------------------

  @Override
  public String name() {
    return name;
  }

  @Override
  public ConnectionState state() {
    return publishedState;
  }

  @Override
  public long generation() {
    return publishedGeneration;
  }

  @Override
  public CompletableFuture<Connection> connect() {
    for (int spins = 0; ; spins++) {
      CompletableFuture<Connection> f = connectFuture;
      if (f != null) {
        // A caller may have failed the shared future (orTimeout); hand out a fresh one then.
        if (!f.isCompletedExceptionally() || isClosingOrClosed()) {
          return f;
        }
        CONNECT_FUTURE.compareAndSet(this, f, null);
        continue;
      }
      CompletableFuture<Connection> fresh = new CompletableFuture<>();
      if (CONNECT_FUTURE.compareAndSet(this, null, fresh)) {
        onLoop(
            () -> {
              fire(new ConnectRequested());
              if (lifecycle.state() == ConnectionState.CONNECTED) {
                fresh.complete(this);
              }
            },
            () -> fresh.completeExceptionally(loopGone()));
        return fresh;
      }
      if (spins > 1_000_000) { // cannot happen: each failed CAS means another thread progressed
        throw new IllegalStateException("connect(): no progress");
      }
    }
  }

  @Override
  public CompletableFuture<Void> send(byte[] frame) {
    if (frame == null) {
      throw new IllegalArgumentException("frame must not be null");
    }
    String refusal = FrameCodec.refusal(config.framing(), frame);
    if (refusal != null) {
      throw new IllegalArgumentException(refusal);
    }
    Pending p = new Pending(frame);
    onLoop(() -> enqueue(p), () -> p.future.completeExceptionally(loopGone()));
    return p.future;
  }

  @Override
  public boolean awaitState(ConnectionState state, Duration timeout) throws InterruptedException {
    Checks.notNull("state", state);
    Checks.nonNegative("timeout", timeout);
    if (publishedState == state) {
      return true;
    }
    Waiter w = new Waiter(state);
    ConcurrentLinkedQueue<Waiter> queue = waiters;
    if (queue == null) {
      WAITERS.compareAndSet(this, null, new ConcurrentLinkedQueue<Waiter>());
      queue = waiters;
    }
    queue.add(w);
    try {
      if (publishedState == state) {
        return true;
      }
      return w.latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      queue.remove(w);
    }
  }

  @Override
  public void resetBackoff() {
    onLoop(() -> fire(new ResetBackoff()), () -> {});
  }

  @Override
  public ConnectionStats stats() {
    if (loop.inEventLoop()) {
      return snapshot();
    }
    try {
      return loop.submit(this::snapshot).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return snapshot(); // a best effort, possibly torn, rather than nothing
    } catch (Exception e) {
      return snapshot();
    }
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    onLoop(this::requestClose, () -> closeFuture.complete(null));
    return closeFuture;
  }

  @Override
  public void close() {
    CompletableFuture<Void> f = closeAsync();
    if (loop.inEventLoop()) {
      return; // waiting here would deadlock: the close completes right after this task
    }
    try {
      f.join();
    } catch (RuntimeException e) {
      log.debug("[{}] close: {}", name, e.toString());
    }
  }

  @Override
  public String toString() {
    return "Connection[" + name + ", " + publishedState + ", generation " + publishedGeneration
        + "]";
  }

  // ---- event dispatch (event loop) -------------------------------------------------------------

  private void onLoop(Runnable task, Runnable ifRejected) {
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      ifRejected.run();
    }
  }

  private RedialException loopGone() {
    return RedialException.of(
        "CONNECTION_CLOSED",
        "connection '" + name + "': its event loop group was shut down");
  }

  /**
   * Feeds an event to the lifecycle and carries out the actions. Events raised while actions run
   * (a close future that completes at once, say) are queued and handled after, in order, so the
   * lifecycle never sees a nested call.
   */
  private void fire(Event event) {
    if (!loop.inEventLoop()) {
      onLoop(() -> fire(event), () -> {});
      return;
    }
    pendingEvents.add(event);
    if (dispatching) {
      return;
    }
    dispatching = true;
    try {
      Event next;
      while ((next = pendingEvents.poll()) != null) {
        for (Action action : lifecycle.handle(next)) {
          try {
            execute(action);
          } catch (RuntimeException e) {
            log.error("[{}] internal error carrying out {}", name, action, e);
          }
        }
      }
    } finally {
      dispatching = false;
    }
  }

  private void execute(Action action) {
    if (action instanceof OpenChannel a) {
      openChannel(a);
    } else if (action instanceof CloseChannel a) {
      if (channel != null && channelGen == a.gen() && channel.isOpen()) {
        log.debug("[{}] gen={} close: {}", name, a.gen(),
            a.cause() == null ? "requested" : a.cause().getMessage());
        channel.close();
      }
    } else if (action instanceof ScheduleRetry a) {
      cancel(retryTimer);
      retryTimer = scheduler.schedule(() -> fire(new BackoffElapsed(a.seq())), a.delayNanos());
    } else if (action instanceof CancelRetry) {
      cancel(retryTimer);
      retryTimer = null;
    } else if (action instanceof ScheduleStable a) {
      stableGen = a.gen();
      stableAtNanos = ticker.nanoTime() + a.delayNanos();
    } else if (action instanceof FlushQueue a) {
      if (channelGen == a.gen()) {
        drainQueue();
      }
    } else if (action instanceof Drain a) {
      startDrain(a.gen());
    } else if (action instanceof Emit a) {
      emit(a.event());
    } else if (action instanceof Terminate a) {
      terminate(a.cause());
    }
  }

  // ---- channels ----------------------------------------------------------------------------------

  private void openChannel(OpenChannel a) {
    Endpoint endpoint = config.endpoints().get(a.endpointIndex());
    long gen = a.gen();
    publishedGeneration = gen;
    attemptStartNanos = ticker.nanoTime();
    log.debug("[{}] gen={} connect -> {} (attempt {})", name, gen, endpoint, a.attempt());
    SslHandler ssl = config.sslContext() == null ? null : newSslHandler(endpoint);
    ChannelFuture connected =
        newBootstrap().handler(new Init(gen, ssl)).connect(endpoint.connectAddress());
    channel = connected.channel();
    channelGen = gen;
    if (connected.isDone() && !connected.isSuccess() && !channel.isOpen()
        && !channel.closeFuture().isDone()) {
      // The channel was never created or registered (EMFILE: out of file descriptors). No
      // descriptor was opened and its close future will never complete: the attempt is over now.
      fire(new AttemptFailed(gen, RedialException.wrap(
          "connection '" + name + "' generation " + gen + ": could not create a channel for "
              + endpoint, connected.cause())));
      onChannelClosed(gen);
      return;
    }
    connectTimer =
        scheduler.schedule(
            () ->
                fire(
                    new AttemptFailed(
                        gen,
                        RedialException.of(
                            "CONNECT_TIMEOUT",
                            "connection '" + name + "' generation " + gen + ": no connection to "
                                + endpoint + " within " + config.connectTimeout()
                                + (ssl != null ? " (TCP connect and TLS handshake)" : "")))),
            connectTimeoutNanos);
    Channel ch = channel;
    connected.addListener(
        f -> {
          if (!f.isSuccess()) {
            fire(new AttemptFailed(gen, RedialException.wrap(
                "connection '" + name + "' generation " + gen + ": connect to " + endpoint
                    + " failed", f.cause())));
          } else if (ssl == null) {
            fire(new AttemptSucceeded(gen));
          }
          // Registered only now that the connect outcome is known: when a name does not
          // resolve, Netty closes the channel (even inside connect()) before it fails the
          // connect future, and the lifecycle must hear the real cause (UnknownHostException)
          // first, not "closed before it connected". Registering here, rather than a close
          // listener that waits on this future, also lets the connect promise be collected.
          ch.closeFuture().addListener(c -> onChannelClosed(gen));
        });
    if (ssl != null) {
      ssl.handshakeFuture()
          .addListener(
              (Future<? super Channel> f) -> {
                if (f.isSuccess()) {
                  fire(new AttemptSucceeded(gen));
                } else {
                  fire(new AttemptFailed(gen, RedialException.wrap(
                      "connection '" + name + "' generation " + gen + ": TLS handshake with "
                          + endpoint + " failed", f.cause())));
                }
              });
    }
  }

  private SslHandler newSslHandler(Endpoint endpoint) {
    SSLEngine engine = config.sslContext().createSSLEngine(endpoint.host(), endpoint.port());
    engine.setUseClientMode(true);
    if (config.hostnameVerification()) {
      SSLParameters params = engine.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(params);
    }
    SslHandler handler = new SslHandler(engine);
    handler.setHandshakeTimeoutMillis(0); // bounded by the attempt's connect timer
    return handler;
  }

  private void onChannelClosed(long gen) {
    if (!loop.inEventLoop()) {
      onLoop(() -> onChannelClosed(gen), () -> {});
      return;
    }
    if (gen == channelGen) {
      cancel(connectTimer);
      cancel(drainTimer);
      connectTimer = drainTimer = null;
      requeueInflight();
    }
    if (gen == stableGen) {
      stableGen = 0;
      if (ticker.nanoTime() - stableAtNanos >= 0) {
        fire(new StableElapsed(gen)); // before the loss is handled: its delay starts over
      }
    }
    fire(new ChannelClosed(gen));
  }

  /**
   * Frames whose write had not completed when the channel died go back to the head of the queue,
   * in their order, to go out exactly once on the next channel.
   */
  private void requeueInflight() {
    Pending p;
    while ((p = inflight.pollLast()) != null) {
      p.writeGen = 0;
      queue.addFirst(p);
      queuedBytes += p.frame.length;
    }
  }

  /** Initializes each brand-new channel with a brand-new pipeline. */
  private final class Init extends ChannelInitializer<Channel> {
    private final long gen;
    private final SslHandler ssl;

    Init(long gen, SslHandler ssl) {
      this.gen = gen;
      this.ssl = ssl;
    }

    @Override
    protected void initChannel(Channel ch) {
      ChannelPipeline p = ch.pipeline();
      if (ssl != null) {
        p.addLast("ssl", ssl);
      }
      FrameCodec.BoundedDecoder decoder = FrameCodec.newDecoder(config.framing());
      if (decoder != null) {
        p.addLast("frames", decoder);
      }
      if (config.heartbeat() != null) {
        p.addLast("heartbeat", new HeartbeatHandler(config.heartbeat(), config.framing()));
      }
      p.addLast("redial", new Inbound(gen, decoder));
    }
  }

  /** The last handler of a channel's pipeline; tags everything with the channel's generation. */
  private final class Inbound extends ChannelInboundHandlerAdapter {
    private final long gen;
    private final FrameCodec.BoundedDecoder decoder; // null for raw framing

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
      byte[] frame;
      try {
        frame = ByteBufUtil.getBytes((ByteBuf) msg);
      } finally {
        ReferenceCountUtil.release(msg);
      }
      framesReceived++;
      bytesReceived += frame.length;
      try {
        config.onMessage().accept(frame);
      } catch (RuntimeException e) {
        handlerFailures++;
        if (handlerFailures == 1 || handlerFailures % 1000 == 0) {
          log.warn("[{}] gen={} onMessage handler threw ({} so far); the connection goes on",
              name, gen, handlerFailures, e);
        }
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == HeartbeatHandler.MISSED) {
        fire(new HeartbeatMissed(gen));
      } else {
        super.userEventTriggered(ctx, evt);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
      if (ctx.channel().isWritable() && gen == channelGen
          && (lifecycle.state() == ConnectionState.CONNECTED || draining)) {
        drainQueue();
      }
      super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      String what =
          "connection '" + name + "' generation " + gen + " ("
              + ctx.channel().localAddress() + " -> " + ctx.channel().remoteAddress() + ")";
      RedialException error;
      if (cause instanceof TooLongFrameException
          || cause.getCause() instanceof TooLongFrameException) {
        error = RedialException.of(
            "FRAME_TOO_LARGE",
            what + ": the peer sent a frame over the maximum of " + config.framing().maxFrameBytes()
                + " bytes (" + config.framing() + "); closing the channel before buffering it: "
                + cause.getMessage(),
            cause);
      } else {
        error = RedialException.wrap(what + " failed", cause);
      }
      fire(new ChannelLost(gen, error));
    }
  }

  // ---- sending ------------------------------------------------------------------------------------

  private static final class Pending {
    final byte[] frame;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    /** Generation of the channel it was written to; 0 while queued. */
    long writeGen;

    Pending(byte[] frame) {
      this.frame = frame;
    }
  }

  private void enqueue(Pending p) {
    if (!accepting) {
      p.future.completeExceptionally(
          RedialException.of(
              "CONNECTION_CLOSED",
              "connection '" + name + "' is " + lifecycle.state().name().toLowerCase()
                  + ": frame of " + p.frame.length + " bytes not sent"));
      return;
    }
    boolean connected = lifecycle.state() == ConnectionState.CONNECTED;
    if (connected && queue.isEmpty() && channel.isWritable()) {
      write(p);
      scheduleFlush();
      return;
    }
    if (!connected && config.rejectWhileDisconnected()) {
      p.future.completeExceptionally(
          RedialException.of(
              "WSAENOTCONN",
              "connection '" + name + "' is not connected (" + lifecycle.state()
                  + ") and rejectWhileDisconnected is set: frame of " + p.frame.length
                  + " bytes not sent"));
      return;
    }
    if (queue.size() >= config.offlineMaxFrames()
        || queuedBytes + p.frame.length > config.offlineMaxBytes()) {
      p.future.completeExceptionally(
          RedialException.of(
              "QUEUE_FULL",
              "connection '" + name + "' (" + lifecycle.state() + "): the offline queue is full ("
                  + queue.size() + " of maxFrames " + config.offlineMaxFrames() + " frames, "
                  + queuedBytes + " of maxBytes " + config.offlineMaxBytes()
                  + " bytes); frame of " + p.frame.length + " bytes refused, queued frames kept"));
      return;
    }
    queue.add(p);
    queuedBytes += p.frame.length;
    if (connected) {
      drainQueue();
    }
  }

  /** Writes queued frames while the channel is writable (Netty's high-water mark bounds memory). */
  private void drainQueue() {
    Channel ch = channel;
    if (ch == null) {
      return;
    }
    boolean wrote = false;
    Pending p;
    while (ch.isWritable() && (p = queue.poll()) != null) {
      queuedBytes -= p.frame.length;
      write(p);
      wrote = true;
    }
    if (wrote) {
      ch.flush();
    }
    checkDrained();
  }

  private void write(Pending p) {
    long gen = channelGen;
    p.writeGen = gen;
    inflight.add(p);
    ChannelPromise promise = channel.newPromise();
    promise.addListener(f -> onWritten(p, gen, f));
    channel.write(FrameCodec.encode(channel.alloc(), config.framing(), p.frame), promise);
  }

  private void onWritten(Pending p, long gen, Future<? super Void> f) {
    if (p.writeGen != gen) {
      return; // requeued after its channel died; it goes out on a newer channel
    }
    if (f.isSuccess()) {
      if (inflight.peekFirst() == p) {
        inflight.pollFirst();
      } else {
        inflight.remove(p);
      }
      p.writeGen = -1;
      framesSent++;
      bytesSent += p.frame.length;
      p.future.complete(null);
      checkDrained();
    } else if (channel != null && channelGen == gen && channel.isActive()) {
      // a write failed on a channel that still looks alive: it is not to be trusted any more
      fire(new ChannelLost(gen, RedialException.wrap(
          "connection '" + name + "' generation " + gen + ": write failed", f.cause())));
    }
    // else: the channel is closing; requeueInflight() puts the frame back when it is closed
  }

  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      // runs after the tasks already queued (other sends): one flush for the whole batch
      loop.execute(
          () -> {
            flushScheduled = false;
            if (channel != null) {
              channel.flush();
            }
          });
    }
  }

  private void startDrain(long gen) {
    draining = true;
    drainQueue(); // fires Drained at once when nothing is left to flush
    if (!draining) {
      return;
    }
    drainTimer =
        scheduler.schedule(
            () -> {
              if (draining) {
                draining = false;
                log.warn("[{}] close: {} frames not flushed within closeTimeout {}", name,
                    queue.size() + inflight.size(), config.closeTimeout());
                fire(new Drained(gen));
              }
            },
            closeTimeoutNanos);
  }

  private void checkDrained() {
    if (draining && queue.isEmpty() && inflight.isEmpty()) {
      draining = false;
      cancel(drainTimer);
      drainTimer = null;
      fire(new Drained(channelGen));
    }
  }

  // ---- lifecycle notifications ---------------------------------------------------------------------

  private void requestClose() {
    accepting = false;
    fire(new CloseRequested(new ClosedByApplication(name)));
  }

  private void emit(ConnectionEvent event) {
    if (event instanceof ConnectionEvent.StateChanged sc) {
      onStateChanged(sc);
    } else if (event instanceof ConnectionEvent.AttemptFailed af) {
      failureStreak++;
      String next = af.nextDelay().map(d -> "next attempt in " + d.toMillis() + " ms")
          .orElse("no further attempt");
      long tookMs = TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - attemptStartNanos);
      if (failureStreak == 1) {
        log.warn("[{}] attempt {} to {} failed after {} ms: {}; {} (more failures at DEBUG until"
            + " connected)", name, af.attempt(), af.endpoint(), tookMs, af.error().getMessage(),
            next);
      } else {
        log.debug("[{}] attempt {} to {} failed after {} ms: {}; {}", name, af.attempt(),
            af.endpoint(), tookMs, af.error().getMessage(), next);
      }
    } else if (event instanceof ConnectionEvent.HeartbeatMissed hm) {
      log.warn("[{}] gen={} heartbeat missed: no frame within {} after the ping; replacing the"
          + " channel", name, hm.generation(), config.heartbeat().timeout());
    }
    for (ConnectionListener listener : config.listeners()) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("[{}] listener {} threw on {}", name, listener, event, e);
      }
    }
    if (event instanceof ConnectionEvent.StateChanged sc) {
      // after the listeners: whoever waited on a future or awaitState sees the events recorded
      settleFutures(sc);
    }
  }

  private void onStateChanged(ConnectionEvent.StateChanged sc) {
    publishedState = sc.to();
    switch (sc.to()) {
      case CONNECTED -> {
        connectedAtNanos = ticker.nanoTime();
        cancel(connectTimer);
        connectTimer = null;
        log.info("[{}] gen={} connected {} -> {} in {} ms{}", name, sc.generation(),
            channel.localAddress(), channel.remoteAddress(),
            TimeUnit.NANOSECONDS.toMillis(connectedAtNanos - attemptStartNanos),
            failureStreak > 0 ? " after " + failureStreak + " failed attempts" : "");
        failureStreak = 0;
      }
      case BACKOFF -> {
        if (sc.from() == ConnectionState.CONNECTED) {
          log.warn("[{}] gen={} lost after {} ms up: {}", name, sc.generation(),
              TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - connectedAtNanos),
              sc.cause() == null ? "closed" : sc.cause().getMessage());
        }
      }
      case CLOSING, CLOSED -> accepting = false;
      default -> {}
    }
  }

  private void settleFutures(ConnectionEvent.StateChanged sc) {
    switch (sc.to()) {
      case CONNECTED -> {
        CompletableFuture<Connection> f = connectFuture;
        if (f == null || f.isCompletedExceptionally()) {
          CONNECT_FUTURE.compareAndSet(this, f, CompletableFuture.completedFuture(this));
          f = connectFuture;
        }
        f.complete(this);
      }
      case BACKOFF -> {
        if (sc.from() == ConnectionState.CONNECTED) {
          connectFuture = null; // the next connect() waits for the next CONNECTED
        }
      }
      case CLOSING, CLOSED -> {
        RedialException cause = sc.cause() != null ? sc.cause() : lifecycle.closeCause().orElse(null);
        CompletableFuture<Connection> failed = new CompletableFuture<>();
        failed.completeExceptionally(cause);
        @SuppressWarnings("unchecked")
        CompletableFuture<Connection> old =
            (CompletableFuture<Connection>) CONNECT_FUTURE.getAndSet(this, failed);
        if (old != null && !old.isDone()) {
          old.completeExceptionally(cause);
        }
      }
      default -> {}
    }
    ConcurrentLinkedQueue<Waiter> queue = waiters;
    if (queue != null) {
      for (Waiter w : queue) {
        if (w.state == sc.to()) {
          w.latch.countDown();
        }
      }
    }
  }

  private void terminate(RedialException cause) {
    cancel(retryTimer);
    cancel(connectTimer);
    cancel(drainTimer);
    retryTimer = connectTimer = drainTimer = null;
    stableGen = 0;
    draining = false;
    int failed = 0;
    for (ArrayDeque<Pending> frames : List.of(inflight, queue)) {
      Pending p;
      while ((p = frames.poll()) != null) {
        failed++;
        p.future.completeExceptionally(
            new RedialException(
                cause.error(),
                "frame of " + p.frame.length + " bytes was not written before connection '" + name
                    + "' closed: " + cause.getMessage(),
                cause));
      }
    }
    queuedBytes = 0;
    channel = null;
    log.info("[{}] closed after {} attempts, {} connects; {} frames sent, {} unsent frames failed:"
        + " {}", name, lifecycle.attempts(), lifecycle.connects(), framesSent, failed,
        cause == null ? "closed" : cause.getMessage());
    closeFuture.complete(null);
  }

  private ConnectionStats snapshot() {
    return new ConnectionStats(
        lifecycle.attempts(),
        lifecycle.connects(),
        lifecycle.disconnects(),
        framesSent,
        framesReceived,
        bytesSent,
        bytesReceived,
        queue.size(),
        queuedBytes);
  }

  private boolean isClosingOrClosed() {
    ConnectionState s = publishedState;
    return s == ConnectionState.CLOSING || s == ConnectionState.CLOSED;
  }

  private static void cancel(Scheduler.Cancellable timer) {
    if (timer != null) {
      timer.cancel();
    }
  }

  /**
   * Feeds a lifecycle event as if a channel had reported it. For tests that replay late or
   * duplicate reports about old channels; the lifecycle must ignore what is stale.
   */
  public void inject(Event event) {
    fire(event);
  }

  /**
   * The most bytes any closed channel's frame decoder held at once: the proof that a hostile
   * peer's oversized frame was refused before it was buffered.
   */
  public int decoderHighWater() {
    return decoderHighWater;
  }

  /** The remote address of the live channel, for tests and diagnostics; null when none. */
  public SocketAddress remoteAddress() {
    Channel ch = channel;
    return ch == null ? null : ch.remoteAddress();
  }

  private static final class Waiter {
    final ConnectionState state;
    final CountDownLatch latch = new CountDownLatch(1);

    Waiter(ConnectionState state) {
      this.state = state;
    }
  }
}
