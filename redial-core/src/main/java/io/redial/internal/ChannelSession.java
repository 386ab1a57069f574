package io.redial.internal;

import io.redial.Handshake;
import io.redial.HandshakeRejectedException;
import io.redial.Session;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * A handshake's view of one channel: its messages are checked like any other, but bypass the
 * offline queue and go to this channel only (the driver refuses them once the channel is gone).
 */
final class ChannelSession<M> implements Session<M> {
  /** How the driver writes a session's message, from any thread. */
  interface Writer<M> {
    /** Writes {@code m} on channel {@code gen}, arming its deadline first when not null. */
    void write(long gen, Outbound<M> m, Duration deadline);
  }

  private final long gen;
  private final Messages<M> messages;
  private final Writer<M> writer;

  ChannelSession(long gen, Messages<M> messages, Writer<M> writer) {
    this.gen = gen;
    this.messages = messages;
    this.writer = writer;
  }

  /**
   * Runs {@code handshake} on this session's channel and reports the outcome to the lifecycle,
   * on the loop: done, refused for good ({@link HandshakeRejectedException}), or failed
   * (anything else, thrown or completed with) — never an exception out of the event loop.
   */
  static <M> void run(Handshake<M> handshake, ChannelSession<M> session,
      Consumer<LifecycleTypes.Event> fire, Ticker ticker, Consumer<Runnable> onLoop) {
    long gen = session.gen;
    CompletionStage<?> stage;
    try {
      stage = handshake.perform(session);
      if (stage == null) {
        throw new NullPointerException("the handshake returned null instead of a stage");
      }
    } catch (Throwable t) {
      fire.accept(failed(session, t));
      return;
    }
    stage.whenComplete((ok, t) -> onLoop.accept(() -> fire.accept(t == null
        ? new LifecycleTypes.HandshakeDone(gen, ticker.nanoTime()) : failed(session, t))));
  }

  private static LifecycleTypes.Event failed(ChannelSession<?> session, Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof HandshakeRejectedException rejected) {
      return new LifecycleTypes.HandshakeRefused(session.gen, rejected);
    }
    return new LifecycleTypes.ConnectFailed(session.gen, Errors.HANDSHAKE_FAILED.exception(
        "connection '" + session.messages.name() + "' generation " + session.gen
            + ": the handshake failed: " + cause, cause));
  }

  @Override
  public long generation() {
    return gen;
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletableFuture<Void> send(M message) {
    Outbound<M> m = messages.message(message);
    writer.write(gen, m, null);
    return (CompletableFuture<Void>) (CompletableFuture<?>) m.future;
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletableFuture<M> request(M message, Duration timeout) {
    Outbound<M> m = messages.request(message, timeout);
    writer.write(gen, m, timeout);
    return (CompletableFuture<M>) (CompletableFuture<?>) m.future;
  }
}
