package io.redial.internal;

import io.netty.channel.EventLoop;
import io.redial.Connection;
import java.util.function.Function;

/** A connection of {@code byte[]} frames: the typed driver with a framing as its codec. */
public final class FrameConnection extends ManagedConnection<byte[], Connection>
    implements Connection {
  public FrameConnection(ConnectionConfig<byte[]> config,
      Function<EventLoop, Scheduler> schedulers, Ticker ticker) {
    super(config, schedulers, ticker);
  }
}
