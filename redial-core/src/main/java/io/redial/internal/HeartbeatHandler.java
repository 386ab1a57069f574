package io.redial.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import io.redial.Framing;
import io.redial.Heartbeat;
import java.util.concurrent.TimeUnit;

/**
 * Sends a ping after {@code interval} with no inbound frame and fires {@link #MISSED} when no frame
 * at all arrives within {@code timeout} after it. Sits after the frame decoder, so only complete
 * frames count as life: a peer trickling one byte a second is caught too. Time comes from the event
 * loop's {@code ticker()}, so tests move it with {@code EmbeddedChannel.advanceTimeBy}.
 */
public final class HeartbeatHandler extends ChannelDuplexHandler {
  /** The user event fired when the heartbeat was missed. */
  public static final Object MISSED = new Object() {
    @Override
    public String toString() {
      return "HeartbeatMissed";
    }
  };

  private final long intervalNanos;
  private final long timeoutNanos;
  private final byte[] ping;
  private final Framing framing;

  // event loop only
  private ChannelHandlerContext ctx;
  private long lastReadNanos;
  private long pingSentNanos = -1; // -1: no ping outstanding
  private Future<?> timer;
  private boolean fired;

  public HeartbeatHandler(Heartbeat heartbeat, Framing framing) {
    this.intervalNanos = heartbeat.interval().toNanos();
    this.timeoutNanos = heartbeat.timeout().toNanos();
    this.ping = heartbeat.pingFrame();
    this.framing = framing;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      start();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start();
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
    lastReadNanos = now();
    pingSentNanos = -1;
    super.channelRead(ctx, msg);
  }

  private void start() {
    if (timer == null && !fired) {
      lastReadNanos = now();
      schedule(intervalNanos);
    }
  }

  private void stop() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private long now() {
    return ctx.executor().ticker().nanoTime();
  }

  private void schedule(long delayNanos) {
    timer = ctx.executor().schedule(this::check, Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
  }

  private void check() {
    timer = null;
    if (!ctx.channel().isActive() || fired) {
      return;
    }
    long now = now();
    if (pingSentNanos < 0) {
      long idle = now - lastReadNanos;
      if (idle < intervalNanos) {
        schedule(intervalNanos - idle);
        return;
      }
      pingSentNanos = now;
      ctx.writeAndFlush(FrameCodec.encode(ctx.alloc(), framing, ping));
      schedule(timeoutNanos);
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
