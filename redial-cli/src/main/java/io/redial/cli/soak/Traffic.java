package io.redial.cli.soak;

import io.redial.Connection;
import io.redial.ConnectionBuilder;
import io.redial.ConnectionEvent;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One mode of a soak's traffic: what each managed connection sends, and how it checks what comes
 * back. The soak owns everything else (server, proxy, faults, connections, baselines, verdict).
 * Frames are {@link Frames} on Redial's length-prefixed framing, echoed by the soak's server.
 * The modes: {@link #numberedFrames()} and {@link #requests()}.
 */
interface Traffic {

  /** The client of connection {@code index}. */
  Client client(int index, Context context);

  /** Whether every server-side socket must start with a HELLO ({@link ServerLedger}). */
  default boolean handshakes() {
    return false;
  }

  /** What a client may use from the soak. */
  record Context(LongSupplier clock, AtomicLong openFutures) {
    /** Counts {@code f} as open until it completes, for the hung-futures check. */
    <T> CompletableFuture<T> track(CompletableFuture<T> f) {
      openFutures.incrementAndGet();
      f.whenComplete((v, e) -> openFutures.decrementAndGet());
      return f;
    }
  }

  /**
   * One connection's traffic. Called from the soak's thread ({@link #tick}, {@link #repair},
   * {@link #idle}, {@link #tally}) and from the connection's event loop ({@link #onMessage},
   * {@link #onEvent}): implementations synchronize, and never block.
   */
  interface Client {
    /** Adds what this mode needs to the connection being built (a handshake, a correlation). */
    default ConnectionBuilder configure(ConnectionBuilder builder) {
      return builder;
    }

    /** Set once, right after the connection is built (its events need this object first). */
    void attach(Connection connection);

    /** A send tick: repair what needs it, then send more unless {@code window} wait for replies. */
    void tick(int window);

    /** With sending over: repair only (re-send what needs it). */
    void repair();

    /** A message, on the event loop. */
    void onMessage(byte[] payload);

    /** A connection event, on the event loop. */
    void onEvent(ConnectionEvent event);

    /** Whether nothing waits for a reply. */
    boolean idle();

    /** The counts now. */
    Tally tally();

    /** The soak is about to close the connection: from now on, CONNECTION_CLOSED is expected. */
    default void closing() {}

    /** The request mode's counts (after everything closed: hung requests too); else empty. */
    default Optional<RequestTally> requests() {
      return Optional.empty();
    }
  }

  /** Numbered frames, each kept until its echo, checked for loss, duplicates and order. */
  static Traffic numberedFrames() {
    return SoakClient::new;
  }

  /**
   * Requests and their replies on Redial's request API, a HELLO handshake on every new channel,
   * checked for wrong replies, hung requests and failures without a clear error.
   */
  static Traffic requests() {
    return new Traffic() {
      @Override
      public Client client(int index, Context context) {
        return new RequestClient(index, context);
      }

      @Override
      public boolean handshakes() {
        return true;
      }
    };
  }
}
