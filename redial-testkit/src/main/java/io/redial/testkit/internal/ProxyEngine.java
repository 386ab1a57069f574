package io.redial.testkit.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import io.redial.testkit.Direction;
import io.redial.testkit.Fault;
import io.redial.testkit.FaultKind;
import io.redial.testkit.ProxiedConnection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault proxy's machinery. Everything mutable is confined to one Netty event loop
 * ({@link #loop}): the listener, every proxied channel, every timer and every draw from the random
 * generator run there, so there are no locks and the seeded draws happen in a reproducible order.
 * Public methods hop onto the loop and wait, bounded, for the result.
 */
public final class ProxyEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyEngine.class);
  /** How long a caller waits for the loop; the loop only ever runs short tasks. */
  private static final long CALL_TIMEOUT_SECONDS = 10;
  /** Stop reading from a source once this much is held back by faults (bounded memory). */
  private static final long HIGH_WATER = 256 * 1024;
  private static final long LOW_WATER = 64 * 1024;

  private final EventLoopGroup group;
  private final EventLoop loop;
  private final Ticker ticker;
  private final InetSocketAddress upstream;
  private final RandomGenerator random;
  private final int connectTimeoutMillis;

  // ---- state below: event loop only ----
  /** Active faults in insertion order. */
  private final Map<Long, Fault> faults = new LinkedHashMap<>();
  /** Live connections by id; removed when both of their channels are closed. */
  private final Map<Long, Conn> connections = new LinkedHashMap<>();
  /** Non-null while listening; null while a refuse fault is active and after close. */
  private Channel serverChannel;
  /** The address first bound; every rebind after a refuse uses exactly this one. Set once, in start(). */
  private volatile InetSocketAddress boundAddress;
  private long nextFaultId = 1;
  private long nextConnectionId = 1;
  private int activeRefusals;
  private boolean closed;
  /** Written on the loop only; volatile so totalAccepted() needs no hop. */
  private volatile long totalAccepted;

  private ProxyEngine(InetSocketAddress upstream, RandomGenerator random, Duration connectTimeout) {
    this.upstream = upstream;
    this.random = random;
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
    this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.loop = group.next();
    this.ticker = loop.ticker();
  }

  /**
   * Starts a proxy: installs {@code initialFaults} first, then binds, so no connection can slip in
   * before the faults (Toxiproxy #148).
   */
  public static ProxyEngine start(InetSocketAddress upstream, InetSocketAddress listen,
      List<Fault> initialFaults, RandomGenerator random, Duration connectTimeout) {
    ProxyEngine engine = new ProxyEngine(upstream, random, connectTimeout);
    try {
      engine.call(() -> {
        for (Fault f : initialFaults) {
          engine.addOnLoop(f);
        }
        return null;
      });
      // port 0: below the ephemeral range, so that while refusing no client (not even one
      // retrying this port, which would connect to itself) can take the port
      ChannelFuture bound = listen.getPort() != 0
          ? engine.bindAndAwait(listen)
          : LoopbackPorts.bindBelowEphemeral(
              port -> engine.bindAndAwait(new InetSocketAddress(listen.getAddress(), port)),
              new java.util.SplittableRandom());
      Future<?> unbound = engine.call(() -> {
        engine.boundAddress = (InetSocketAddress) bound.channel().localAddress();
        if (engine.activeRefusals > 0) {
          // A refuse fault given at start: the port is reserved, then released at once.
          Channel ch = engine.serverChannel;
          engine.serverChannel = null;
          return ReleasingServerChannel.closeAndRelease(ch);
        }
        return null;
      });
      if (unbound != null) {
        await(unbound, "stop listening");
      }
      return engine;
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  public InetSocketAddress listenAddress() {
    return boundAddress;
  }

  public InetSocketAddress upstream() {
    return upstream;
  }

  public long totalAccepted() {
    return totalAccepted;
  }

  public boolean isListening() {
    return call(() -> serverChannel != null && serverChannel.isActive());
  }

  /** Installs a fault; for a refuse, returns once the listener is closed. */
  public long add(Fault fault) {
    Objects.requireNonNull(fault, "fault");
    long[] id = new long[1];
    Future<?> unbound = call(() -> {
      if (closed) {
        throw new IllegalStateException("the proxy is closed");
      }
      id[0] = addOnLoop(fault);
      if (fault.kind() instanceof FaultKind.RefuseNew && activeRefusals == 1 && serverChannel != null) {
        Channel ch = serverChannel;
        serverChannel = null;
        return ReleasingServerChannel.closeAndRelease(ch);
      }
      return null;
    });
    if (unbound != null) {
      await(unbound, "stop listening");
    }
    return id[0];
  }

  /** Removes a fault; for the last refuse, returns once listening again on the same port. */
  public void remove(long faultId) {
    if (group.isShuttingDown()) {
      return; // closing the proxy removed every fault already
    }
    Future<?> rebound = call(() -> {
      Fault f = faults.remove(faultId);
      if (f == null || closed) {
        return null;
      }
      for (Conn c : connections.values()) {
        c.unapply(faultId);
      }
      if (f.kind() instanceof FaultKind.RefuseNew && --activeRefusals == 0) {
        return bind(boundAddress);
      }
      return null;
    });
    if (rebound != null) {
      await(rebound, "listen again on " + boundAddress);
    }
  }

  public List<Map.Entry<Long, Fault>> faults() {
    return call(() -> List.copyOf(new LinkedHashMap<>(faults).entrySet()));
  }

  public List<ProxiedConnection> connections() {
    return call(() -> {
      List<ProxiedConnection> out = new ArrayList<>(connections.size());
      for (Conn c : connections.values()) {
        out.add(c.snapshot());
      }
      return List.copyOf(out);
    });
  }

  /** Resets every connection now: SO_LINGER 0 then close, so clients get an RST. */
  public int resetAll() {
    return call(() -> {
      List<Conn> all = new ArrayList<>(connections.values());
      all.forEach(c -> c.shut(true));
      return all.size();
    });
  }

  /** Closes every connection now, gracefully (FIN) on both sides. */
  public int closeAll() {
    return call(() -> {
      List<Conn> all = new ArrayList<>(connections.values());
      all.forEach(c -> c.shut(false));
      return all.size();
    });
  }

  @Override
  public void close() {
    if (!group.isShuttingDown()) {
      try {
        call(() -> {
          closed = true;
          if (serverChannel != null) {
            ReleasingServerChannel.closeAndRelease(serverChannel);
            serverChannel = null;
          }
          new ArrayList<>(connections.values()).forEach(c -> c.shut(false));
          return null;
        });
      } catch (RuntimeException e) {
        LOG.debug("closing connections failed", e);
      }
    }
    // Shutting the group down closes whatever channel is still registered and releases the selector.
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  // ------------------------------------------------------------------------------------------

  private long addOnLoop(Fault fault) {
    long id = nextFaultId++;
    faults.put(id, fault);
    if (fault.kind() instanceof FaultKind.RefuseNew) {
      activeRefusals++;
    }
    for (Conn c : connections.values()) {
      c.maybeApply(id, fault);
    }
    return id;
  }

  private ChannelFuture bindAndAwait(InetSocketAddress address) {
    ChannelFuture bound = call(() -> bind(address));
    await(bound, "bind " + address);
    return bound;
  }

  private ChannelFuture bind(InetSocketAddress address) {
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channelFactory(ReleasingServerChannel::new)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            accepted(ch);
          }
        });
    ChannelFuture f = b.bind(address);
    f.addListener(done -> {
      if (done.isSuccess()) {
        if (closed || activeRefusals > 0 && boundAddress != null) {
          f.channel().close();
        } else {
          serverChannel = f.channel();
        }
      }
    });
    // The first bind sets serverChannel in start() through this listener too.
    return f;
  }

  private boolean draw(Fault fault) {
    double p = fault.toxicity();
    if (p >= 1.0) {
      return true;
    }
    if (p <= 0.0) {
      return false;
    }
    return random.nextDouble() < p;
  }

  private void accepted(SocketChannel front) {
    if (closed) {
      front.close();
      return;
    }
    totalAccepted++;
    Conn c = new Conn(nextConnectionId++, front);
    connections.put(c.id, c);
    front.pipeline().addLast(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        c.fromClient.onData((ByteBuf) msg);
      }

      @Override
      public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        c.toClient.updateBackpressure();
        ctx.fireChannelWritabilityChanged();
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        c.frontClosed();
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("client side of connection {}: {}", c.id, cause.toString());
        ctx.close();
      }
    });
    for (Map.Entry<Long, Fault> e : faults.entrySet()) {
      c.maybeApply(e.getKey(), e.getValue());
    }
    if (c.stalled) {
      front.config().setAutoRead(true);
      return;
    }
    c.connectUpstream();
  }

  /** One proxied connection: the client-side channel, the upstream channel and two lanes. */
  private final class Conn {
    final long id;
    final Channel front;
    final InetSocketAddress clientAddress;
    /** Null until the upstream connect starts; never set for a stalled connection. */
    Channel back;
    boolean stalled;
    boolean frontOpen = true;
    boolean backOpen;
    boolean removed;
    final Lane fromClient = new Lane(Direction.UPSTREAM);
    final Lane toClient = new Lane(Direction.DOWNSTREAM);
    /** Faults that drew "applies" for this connection, with their per-connection state. */
    final Map<Long, Applied> applied = new LinkedHashMap<>();

    Conn(long id, Channel front) {
      this.id = id;
      this.front = front;
      this.clientAddress = (InetSocketAddress) front.remoteAddress();
    }

    void maybeApply(long faultId, Fault fault) {
      if (!draw(fault)) {
        return;
      }
      Applied a = new Applied(fault, fromClient.accepted, toClient.accepted);
      applied.put(faultId, a);
      if (fault.kind() instanceof FaultKind.StallNew && back == null) {
        stalled = true;
      } else if (fault.kind() instanceof FaultKind.ResetAfter r) {
        a.timer = loop.schedule(() -> shut(true), r.after().toNanos(), TimeUnit.NANOSECONDS);
      } else if (fault.kind() instanceof FaultKind.MaxAge m) {
        a.timer = loop.schedule(() -> shut(false), m.age().toNanos(), TimeUnit.NANOSECONDS);
      }
      fromClient.faultsChanged();
      toClient.faultsChanged();
    }

    void unapply(long faultId) {
      Applied a = applied.remove(faultId);
      if (a != null && a.timer != null) {
        a.timer.cancel(false);
      }
      fromClient.faultsChanged();
      toClient.faultsChanged();
    }

    void connectUpstream() {
      Bootstrap b = new Bootstrap()
          .group(loop)
          .channel(NioSocketChannel.class)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.AUTO_READ, false)
          .handler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
              toClient.onData((ByteBuf) msg);
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
              fromClient.updateBackpressure();
              ctx.fireChannelWritabilityChanged();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
              backClosed();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
              LOG.debug("upstream side of connection {}: {}", id, cause.toString());
              ctx.close();
            }
          });
      ChannelFuture f = b.connect(upstream);
      back = f.channel();
      backOpen = true;
      f.addListener((ChannelFuture done) -> {
        if (!done.isSuccess()) {
          LOG.debug("connection {}: upstream {} failed: {}", id, upstream, done.cause().toString());
          backOpen = false;
          front.close();
          maybeRemove();
          return;
        }
        if (!frontOpen) {
          done.channel().close();
          return;
        }
        fromClient.sink = done.channel();
        toClient.sink = front;
        fromClient.source = front;
        toClient.source = done.channel();
        fromClient.updateBackpressure();
        toClient.updateBackpressure();
      });
    }

    void frontClosed() {
      frontOpen = false;
      fromClient.sourceEnded();
      toClient.sinkClosed();
      maybeRemove();
    }

    void backClosed() {
      backOpen = false;
      toClient.sourceEnded();
      fromClient.sinkClosed();
      maybeRemove();
    }

    /** Closes both sides now; with {@code reset} the client gets an RST instead of a FIN. */
    void shut(boolean reset) {
      if (reset && front.isOpen()) {
        front.config().setOption(ChannelOption.SO_LINGER, 0);
      }
      front.close();
      if (back != null) {
        back.close();
      }
    }

    void maybeRemove() {
      if (!frontOpen && !backOpen && !removed) {
        removed = true;
        connections.remove(id);
        for (Applied a : applied.values()) {
          if (a.timer != null) {
            a.timer.cancel(false);
          }
        }
        fromClient.sinkClosed();
        toClient.sinkClosed();
      }
    }

    ProxiedConnection snapshot() {
      return new ProxiedConnection(id, clientAddress, backOpen && back != null && back.isActive(),
          fromClient.received, fromClient.written, toClient.received, toClient.written);
    }

    /** One direction of the connection: bytes from {@code source}, through the faults, to {@code sink}. */
    private final class Lane {
      final Direction direction;
      /** Null until the upstream is connected; null for stalled connections. */
      Channel source;
      Channel sink;
      long received;
      /** Bytes taken past blackhole and limit faults (queued or written). */
      long accepted;
      long written;
      final ArrayDeque<Piece> queue = new ArrayDeque<>();
      long queuedBytes;
      /** Release time of the last queued piece: later pieces never overtake it. */
      long lastRelease = Long.MIN_VALUE;
      /** Bandwidth pacing: when the next byte may go. */
      long nextFree = Long.MIN_VALUE;
      ScheduledFuture<?> drainTask;
      boolean ended;
      boolean limitReached;
      boolean finishing;

      Lane(Direction direction) {
        this.direction = direction;
      }

      private boolean covers(Applied a) {
        return a.fault.direction().covers(direction);
      }

      void onData(ByteBuf msg) {
        int n = msg.readableBytes();
        received += n;
        if (sink == null || limitReached || ended) {
          // Stalled (no upstream ever) or already past a data limit: read and drop.
          msg.release();
          return;
        }
        long latencyNanos = 0;
        long bytesPerSecond = 0;
        FaultKind.Slice slice = null;
        long room = Long.MAX_VALUE;
        for (Applied a : applied.values()) {
          if (!covers(a)) {
            continue;
          }
          FaultKind k = a.fault.kind();
          if (k instanceof FaultKind.Blackhole) {
            msg.release();
            return;
          } else if (k instanceof FaultKind.Latency l) {
            long jitter = l.jitter().toNanos();
            latencyNanos += l.base().toNanos() + (jitter > 0 ? random.nextLong(jitter + 1) : 0);
          } else if (k instanceof FaultKind.Bandwidth bw) {
            bytesPerSecond = bytesPerSecond == 0 ? bw.bytesPerSecond() : Math.min(bytesPerSecond, bw.bytesPerSecond());
          } else if (k instanceof FaultKind.Slice s) {
            slice = slice == null ? s : slice;
          } else if (k instanceof FaultKind.LimitData ld) {
            long offset = direction == Direction.UPSTREAM ? a.upOffset : a.downOffset;
            room = Math.min(room, Math.max(0, ld.bytes() - (accepted - offset)));
          }
        }
        if (n >= room) {
          limitReached = true;
          msg.writerIndex(msg.readerIndex() + (int) room);
          n = (int) room;
        }
        accepted += n;
        long now = ticker.nanoTime();
        long base = now + latencyNanos;
        int index = 0;
        while (msg.isReadable()) {
          int size = msg.readableBytes();
          long sliceDelay = 0;
          if (slice != null) {
            int v = slice.variation();
            size = Math.min(size, slice.averageSize() + (v > 0 ? random.nextInt(-v, v + 1) : 0));
            sliceDelay = slice.delay().toNanos() * index;
          } else if (bytesPerSecond > 0) {
            // 20 ms worth per piece keeps the pacing smooth.
            size = (int) Math.min(size, Math.max(1, Math.min(64 * 1024, bytesPerSecond / 50)));
          }
          ByteBuf piece = msg.readRetainedSlice(size);
          long release = base + sliceDelay;
          if (bytesPerSecond > 0) {
            release = Math.max(release, nextFree);
            nextFree = release + size * 1_000_000_000L / bytesPerSecond;
          }
          release = Math.max(release, lastRelease);
          lastRelease = release;
          queue.add(new Piece(piece, release));
          queuedBytes += size;
          index++;
        }
        msg.release();
        drain();
      }

      /** The scheduled drain, run by the timer. */
      void drainLater() {
        drainTask = null;
        drain();
      }

      void drain() {
        long now = ticker.nanoTime();
        boolean wrote = false;
        while (!queue.isEmpty() && queue.peek().releaseAt - now <= 0) {
          Piece p = queue.poll();
          int size = p.buf.readableBytes();
          queuedBytes -= size;
          if (sink != null && sink.isActive()) {
            written += size;
            sink.write(p.buf, sink.voidPromise());
            wrote = true;
          } else {
            p.buf.release();
          }
        }
        if (wrote) {
          sink.flush();
        }
        // One timer per lane at most: pieces are in release order, so the head decides.
        if (!queue.isEmpty() && drainTask == null) {
          drainTask = loop.schedule(this::drainLater, queue.peek().releaseAt - now, TimeUnit.NANOSECONDS);
        }
        updateBackpressure();
        maybeFinish();
      }

      void updateBackpressure() {
        if (source == null || sink == null || !source.isOpen()) {
          return;
        }
        boolean read = source.config().isAutoRead();
        if (read && (queuedBytes > HIGH_WATER || !sink.isWritable())) {
          source.config().setAutoRead(false);
        } else if (!read && queuedBytes < LOW_WATER && sink.isWritable()) {
          source.config().setAutoRead(true);
        }
      }

      /** A fault came or went: a removed latency may leave nothing to wait for before a close. */
      void faultsChanged() {
        maybeFinish();
      }

      void sourceEnded() {
        ended = true;
        maybeFinish();
      }

      /** Once the source ended (or a data limit was hit) and the queue is empty, close the sink. */
      void maybeFinish() {
        if (finishing || !queue.isEmpty() || !(ended || limitReached)) {
          return;
        }
        finishing = true;
        if (limitReached && !ended) {
          shut(false);
          return;
        }
        long delay = 0;
        for (Applied a : applied.values()) {
          if (covers(a) && a.fault.kind() instanceof FaultKind.SlowClose sc) {
            delay = Math.max(delay, sc.delay().toNanos());
          }
        }
        Channel target = direction == Direction.UPSTREAM ? back : front;
        if (target == null) {
          return;
        }
        if (delay == 0) {
          target.close();
        } else {
          loop.schedule(() -> target.close(), delay, TimeUnit.NANOSECONDS);
        }
      }

      void sinkClosed() {
        if (drainTask != null) {
          drainTask.cancel(false);
          drainTask = null;
        }
        Piece p;
        while ((p = queue.poll()) != null) {
          ReferenceCountUtil.release(p.buf);
        }
        queuedBytes = 0;
      }
    }
  }

  /** A fault that applies to one connection, with what it needs per connection. */
  private static final class Applied {
    final Fault fault;
    /** Lane byte counts when the fault met the connection: limit-data counts from there. */
    final long upOffset;
    final long downOffset;
    /** The reset/max-age timer, if any. */
    ScheduledFuture<?> timer;

    Applied(Fault fault, long upOffset, long downOffset) {
      this.fault = fault;
      this.upOffset = upOffset;
      this.downOffset = downOffset;
    }
  }

  private record Piece(ByteBuf buf, long releaseAt) {}

  // ---- hopping onto the loop ----

  private <T> T call(Callable<T> task) {
    if (loop.inEventLoop()) {
      try {
        return task.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    try {
      return loop.submit(task).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the proxy's event loop did not answer within " + CALL_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the proxy", e);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new IllegalStateException("the proxy is closed", e);
    }
  }

  private static void await(Future<?> f, String what) {
    if (!f.awaitUninterruptibly(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException(what + ": no answer within " + CALL_TIMEOUT_SECONDS + " s");
    }
    if (!f.isSuccess()) {
      throw new IllegalStateException(what + " failed: " + f.cause(), f.cause());
    }
  }
}
