package io.redial.bench.internal;

/**
 * What a client reports about its connection, the same for every {@link ClientKind}: an attempt
 * started, a connection up, a connection lost. The recovery figure counts these ({@link Tally});
 * the JMH figures pass {@link #NONE}. Called from event-loop threads.
 */
public interface Events {
  Events NONE = new Events() {};

  /** A connect attempt is starting. */
  default void attempt() {}

  /** A connection is up (ready for frames). */
  default void connected() {}

  /** A connection that was up is gone. */
  default void disconnected() {}
}
