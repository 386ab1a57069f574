package io.redial.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * Asks for a ping ({@link #PING_DUE}) after {@code interval} with no inbound message and fires
 * {@link #MISSED} when no message at all arrives within {@code timeout} after it. Sits after the
 * codec, so only complete messages count as life: a peer trickling one byte a second is caught
 * too. Time comes from the connection's own {@link Scheduler} and {@link Ticker} — the clock of
 * every other timer of the connection — so a fake clock moves heartbeats too.
 */
public final class HeartbeatHandler extends ChannelDuplexHandler {
  /** The user event fired when a ping should be written now. */
  public static final Object PING_DUE = new Object() {
    @Override
    public String toString() {
      return "PingDue";
    }
  };

  /** The user event fired when the heartbeat was missed. */
  public static final Object MISSED = new Object() {
    @Override
    public String toString() {
      return "HeartbeatMissed";
    }
  };

  private final long intervalNanos;
  private final long timeoutNanos;
  private final Scheduler scheduler;
  private final Ticker ticker;
  /** Start when the channel becomes active; else only when {@link #begin()} is called. */
  private final boolean autoStart;

  // event loop only
  private ChannelHandlerContext ctx;
  private long lastReadNanos;
  private long pingSentNanos = -1; // -1: no ping outstanding
  private Scheduler.Cancellable timer;
  private boolean fired;

  /**
   * @param autoStart start when the channel becomes active; false: only at {@link #begin()} (the
   *     driver calls it on CONNECTED, so that no ping precedes a handshake)
   */
  public HeartbeatHandler(long intervalNanos, long timeoutNanos, Scheduler scheduler,
      Ticker ticker, boolean autoStart) {
    this.intervalNanos = intervalNanos;
    this.timeoutNanos = timeoutNanos;
    this.scheduler = scheduler;
    this.ticker = ticker;
    this.autoStart = autoStart;
  }

  /** Starts the heartbeat now (event loop); idempotent. */
  public void begin() {
    if (ctx != null) {
      start();
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (autoStart && ctx.channel().isActive()) {
      start();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (autoStart) {
      start();
    }
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stop();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    lastReadNanos = ticker.nanoTime();
    pingSentNanos = -1;
    super.channelRead(ctx, msg);
  }

  private void start() {
    if (timer == null && !fired) {
      lastReadNanos = ticker.nanoTime();
      schedule(intervalNanos);
    }
  }

  private void stop() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  private void schedule(long delayNanos) {
    timer = scheduler.schedule(this::check, Math.max(1, delayNanos));
  }

  private void check() {
    timer = null;
    if (!ctx.channel().isActive() || fired) {
      return;
    }
    long now = ticker.nanoTime();
    if (pingSentNanos < 0) {
      long idle = now - lastReadNanos;
      if (idle < intervalNanos) {
        schedule(intervalNanos - idle);
        return;
      }
      pingSentNanos = now;
      schedule(timeoutNanos);
      ctx.fireUserEventTriggered(PING_DUE);
      return;
    }
    long waited = now - pingSentNanos;
    if (waited < timeoutNanos) {
      schedule(timeoutNanos - waited);
      return;
    }
    fired = true;
    ctx.fireUserEventTriggered(MISSED);
  }
}
