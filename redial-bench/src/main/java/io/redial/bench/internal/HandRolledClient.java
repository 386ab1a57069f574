package io.redial.bench.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The reconnect loop a team writes on Netty itself, the one Redial exists to replace: the client
 * keeps its {@link Bootstrap} (the raw client's pipeline: same codec, options and flush
 * coalescing) and, from {@code channelInactive} or a failed connect, schedules the next
 * {@code connect} on the event loop after a fixed delay of {@value #DELAY_MILLIS} ms. No backoff,
 * no jitter, no queue: a send while disconnected is dropped.
 */
final class HandRolledClient extends Reconnecting {
  static final long DELAY_MILLIS = 1_000;

  static final ClientKind KIND = new ClientKind(ClientKind.HANDROLLED,
      "hand-rolled Netty reconnect",
      "channelInactive or a failed connect schedules bootstrap.connect() on the event loop after a"
          + " fixed 1 s",
      "dropped: no active channel to write to",
      (loops, onFrame, events) -> address -> new HandRolledClient(loops, address, onFrame, events));

  private final Bootstrap bootstrap;
  private final InetSocketAddress address;
  private final Events events;
  private volatile Channel channel;
  private volatile ScheduledFuture<?> retry;

  private HandRolledClient(Loops loops, InetSocketAddress address, Consumer<byte[]> onFrame,
      Events events) {
    this.address = address;
    this.events = events;
    this.bootstrap = RawClient.bootstrap(loops.group(), onFrame, this::inactive);
    connect();
  }

  private void connect() {
    if (closed) {
      return;
    }
    events.attempt();
    ChannelFuture f = bootstrap.connect(address);
    f.addListener(x -> {
      if (f.isSuccess()) {
        channel = f.channel();
        events.connected();
        first.complete(null);
        if (closed) {
          f.channel().close();
        }
      } else {
        later(f.channel());
      }
    });
  }

  private void inactive() {
    Channel ch = channel;
    channel = null;
    events.disconnected();
    later(ch);
  }

  private void later(Channel ch) {
    if (!closed) {
      retry = (ch != null ? ch.eventLoop() : bootstrap.config().group().next())
          .schedule(this::connect, DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void send(byte[] frame) {
    Channel ch = channel;
    if (ch != null && ch.isActive()) {
      ch.writeAndFlush(frame, ch.voidPromise());
    }
  }

  @Override
  protected void stop() {
    ScheduledFuture<?> r = retry;
    if (r != null) {
      r.cancel(false);
    }
    Channel ch = channel;
    if (ch != null) {
      ch.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
  }
}
