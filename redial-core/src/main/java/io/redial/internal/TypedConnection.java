package io.redial.internal;

import io.netty.channel.EventLoop;
import io.redial.MessageConnection;
import java.util.function.Function;

/** A connection of typed messages through the user's codec. */
public final class TypedConnection<M> extends ManagedConnection<M, MessageConnection<M>> {
  public TypedConnection(ConnectionConfig<M> config, Function<EventLoop, Scheduler> schedulers,
      Ticker ticker) {
    super(config, schedulers, ticker);
  }
}
