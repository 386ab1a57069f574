package io.redial.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import io.redial.ConnectionStats;
import io.redial.HandshakeRejectedException;
import io.redial.MessageConnection;
import io.redial.RedialException;
import io.redial.internal.Lifecycle.Action;
import io.redial.internal.Lifecycle.CancelTimer;
import io.redial.internal.Lifecycle.ChannelClosed;
import io.redial.internal.Lifecycle.ChannelLost;
import io.redial.internal.Lifecycle.CloseChannel;
import io.redial.internal.Lifecycle.CloseRequested;
import io.redial.internal.Lifecycle.ConnectFailed;
import io.redial.internal.Lifecycle.ConnectRequested;
import io.redial.internal.Lifecycle.Drain;
import io.redial.internal.Lifecycle.Drained;
import io.redial.internal.Lifecycle.Emit;
import io.redial.internal.Lifecycle.Event;
import io.redial.internal.Lifecycle.FlushQueue;
import io.redial.internal.Lifecycle.HandshakeDone;
import io.redial.internal.Lifecycle.HandshakeRefused;
import io.redial.internal.Lifecycle.OpenChannel;
import io.redial.internal.Lifecycle.Phase;
import io.redial.internal.Lifecycle.PingUnanswered;
import io.redial.internal.Lifecycle.ReconnectRequested;
import io.redial.internal.Lifecycle.ResetBackoff;
import io.redial.internal.Lifecycle.ScheduleTimer;
import io.redial.internal.Lifecycle.StartHandshake;
import io.redial.internal.Lifecycle.Terminate;
import io.redial.internal.Lifecycle.Timer;
import io.redial.internal.Lifecycle.TimerFired;
import io.redial.internal.Lifecycle.TransportUp;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * The driver of a {@link Lifecycle}: it wires the parts together — {@link ChannelFactory} (one
 * brand-new channel per attempt), {@link Outbox} (the send queue), {@link RequestTable} (replies
 * to requests), {@link StateCell} (what other threads see), {@link Counters} and {@link EventLog}
 * — turns what channels report into lifecycle events and carries out the lifecycle's actions.
 *
 * <p>Threading: every field below "event loop only" is touched on {@link #loop} only; public
 * methods hop onto it.
 *
 * @param <M> the message type
 * @param <S> the public type connect futures complete with
 */
public class ManagedConnection<M, S extends MessageConnection<M>>
    implements MessageConnection<M>, ChannelFactory.Events, Outbox.Listener {
  /** The longest request deadline accepted: longer is a unit mistake, not a deadline. */
  static final Duration MAX_REQUEST_TIMEOUT = Duration.ofDays(1);

  private final ConnectionConfig<M> config;
  private final String name;
  private final EventLoop loop;
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final MessageCodec<M> codec;
  private final Lifecycle lifecycle;
  private final ChannelFactory<M> channels;
  private final Outbox<M> outbox;
  /** Null without a correlation. */
  private final RequestTable<M> requests;
  private final Counters counters = new Counters();
  private final StateCell<S> cell;
  private final EventLog log;

  // ---- event loop only ------------------------------------------------------------------------
  /** The newest channel (generation {@link #channelGen}); null before the first attempt. */
  private Channel channel;
  private long channelGen;
  private Scheduler.Cancellable retryTimer;
  private Scheduler.Cancellable connectTimer;
  private Scheduler.Cancellable drainTimer;
  private Scheduler.Cancellable maxAgeTimer;
  private final ArrayDeque<Event> pendingEvents = new ArrayDeque<>(2);
  private boolean dispatching;

  @SuppressWarnings("unchecked")
  protected ManagedConnection(
      ConnectionConfig<M> config, Function<EventLoop, Scheduler> schedulers, Ticker ticker) {
    this.config = config;
    this.name = config.name();
    EventLoopGroup group =
        config.eventLoopGroup() != null ? config.eventLoopGroup() : Transport.sharedGroup();
    this.loop = group.next();
    this.scheduler = schedulers.apply(loop);
    this.ticker = ticker;
    this.codec = config.codec();
    this.lifecycle = new Lifecycle(config.lifecycleSettings());
    this.requests = config.correlated() ? new RequestTable<>(config.replyKey()) : null;
    this.cell = new StateCell<>((S) this);
    this.log = new EventLog(name, config.listeners(), ticker);
    this.outbox = new Outbox<>(name, codec, config, scheduler, ticker, counters, requests, this);
    this.channels = new ChannelFactory<>(config, loop, Transport.channelClass(group, loop),
        scheduler, ticker, this);
  }

  // ---- public API (any thread) ----------------------------------------------------------------

  @Override
  public String name() {
    return name;
  }

  @Override
  public ConnectionState state() {
    return cell.state();
  }

  @Override
  public long generation() {
    return cell.generation();
  }

  @Override
  public CompletableFuture<S> connect() {
    return cell.connectFuture(fresh -> onLoop(
        () -> {
          fire(new ConnectRequested());
          if (lifecycle.state() == ConnectionState.CONNECTED) {
            fresh.complete(cell.self());
          }
        },
        () -> fresh.completeExceptionally(loopGone())));
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletableFuture<Void> send(M message) {
    Outbound<M> m = outbound(message, false, null);
    onLoop(() -> outbox.offer(m), () -> outbox.fail(m, loopGone()));
    return (CompletableFuture<Void>) (CompletableFuture<?>) m.future;
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletableFuture<M> request(M message, Duration timeout) {
    long timeoutNanos = checkRequest(timeout);
    Outbound<M> m = outbound(message, true, requestKey(message));
    onLoop(
        () -> {
          armDeadline(m, timeoutNanos);
          outbox.offer(m);
        },
        () -> outbox.fail(m, loopGone()));
    return (CompletableFuture<M>) (CompletableFuture<?>) m.future;
  }

  private long checkRequest(Duration timeout) {
    if (requests == null) {
      throw new IllegalStateException("request() needs a correlation: connection '" + name
          + "' has none; set correlation(Correlation.fifo()) or correlation(Correlation.byKey("
          + "...)) on its builder, or use send()");
    }
    Checks.positive("timeout", timeout);
    if (timeout.compareTo(MAX_REQUEST_TIMEOUT) > 0) {
      throw new IllegalArgumentException("timeout must be a positive duration of at most "
          + MAX_REQUEST_TIMEOUT + ", but was " + timeout);
    }
    return timeout.toNanos();
  }

  private Object requestKey(M message) {
    if (config.requestKey() == null || message == null) {
      return null;
    }
    Object key;
    try {
      key = config.requestKey().apply(message);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the correlation's requestKey threw on " + message
          + " for connection '" + name + "': " + e, e);
    }
    if (key == null) {
      throw new IllegalArgumentException("the correlation's requestKey must return a key for a"
          + " request, but returned null for " + message + " on connection '" + name + "'");
    }
    return key;
  }

  /** Checks a message from the application and wraps it. */
  private Outbound<M> outbound(M message, boolean request, Object key) {
    if (message == null) {
      throw new IllegalArgumentException(codec.noun() + " must not be null");
    }
    String refusal = codec.refusal(message);
    if (refusal != null) {
      throw new IllegalArgumentException(refusal);
    }
    return new Outbound<>(message, codec.sizeOf(message), ticker.nanoTime(), request, key, false);
  }

  @Override
  public boolean awaitState(ConnectionState state, Duration timeout) throws InterruptedException {
    Checks.notNull("state", state);
    Checks.nonNegative("timeout", timeout);
    return cell.await(state, timeout);
  }

  @Override
  public void resetBackoff() {
    onLoop(() -> fire(new ResetBackoff()), () -> {});
  }

  @Override
  public void reconnect() {
    onLoop(() -> fire(new ReconnectRequested()), () -> {});
  }

  @Override
  public ConnectionStats stats() {
    return counters.snapshot();
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    onLoop(this::requestClose, () -> cell.closeFuture.complete(null));
    return cell.closeFuture;
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
      EventLog.logger().debug("[{}] close: {}", name, e.toString());
    }
  }

  @Override
  public String toString() {
    return "Connection[" + name + ", " + cell.state() + ", generation " + cell.generation() + "]";
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
    return Errors.CONNECTION_CLOSED.exception(
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
            EventLog.logger().error("[{}] internal error carrying out {}", name, action, e);
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
    } else if (action instanceof StartHandshake a) {
      startHandshake(a.gen());
    } else if (action instanceof CloseChannel a) {
      if (channel != null && channelGen == a.gen() && channel.isOpen()) {
        log.closing(a.gen(), a.cause() == null ? null : a.cause().getMessage());
        outbox.detach(a.gen()); // nothing new goes to a condemned channel
        channel.close();
      }
    } else if (action instanceof ScheduleTimer a) {
      setTimer(a.timer(), scheduler.schedule(
          () -> fire(new TimerFired(a.timer(), a.token())), a.delayNanos()));
    } else if (action instanceof CancelTimer a) {
      setTimer(a.timer(), null);
    } else if (action instanceof FlushQueue a) {
      if (channelGen == a.gen()) {
        outbox.open(channel, a.gen());
      }
    } else if (action instanceof Drain a) {
      outbox.flush();
      idle(); // reports Drained at once when nothing is left
    } else if (action instanceof Emit a) {
      emit(a.event());
    } else if (action instanceof Terminate a) {
      terminate(a.cause());
    } else {
      throw new IllegalArgumentException("unknown lifecycle action " + action);
    }
  }

  /** Replaces the timer of a kind, cancelling the one pending. */
  private void setTimer(Timer kind, Scheduler.Cancellable timer) {
    Scheduler.Cancellable old;
    switch (kind) {
      case RETRY -> {
        old = retryTimer;
        retryTimer = timer;
      }
      case CONNECT -> {
        old = connectTimer;
        connectTimer = timer;
      }
      case DRAIN -> {
        old = drainTimer;
        drainTimer = timer;
      }
      case MAX_AGE -> {
        old = maxAgeTimer;
        maxAgeTimer = timer;
      }
      default -> throw new IllegalArgumentException("unknown timer " + kind);
    }
    if (old != null) {
      old.cancel();
    }
  }

  private void openChannel(OpenChannel a) {
    Endpoint endpoint = config.endpoints().get(a.endpointIndex());
    long gen = a.gen();
    cell.generation(gen);
    log.attemptStarted(gen, endpoint, a.attempt());
    channelGen = gen;
    channel = null;
    channel = channels.open(gen, endpoint);
  }

  // ---- the handshake ----------------------------------------------------------------------------

  private void startHandshake(long gen) {
    CompletionStage<?> stage;
    try {
      stage = config.handshake().perform(new ChannelSession(gen));
      if (stage == null) {
        throw new NullPointerException("the handshake returned null instead of a stage");
      }
    } catch (Throwable t) {
      handshakeFailed(gen, t);
      return;
    }
    stage.whenComplete((ok, t) -> onLoop(
        () -> {
          if (t == null) {
            fire(new HandshakeDone(gen, ticker.nanoTime()));
          } else {
            handshakeFailed(gen, t);
          }
        },
        () -> {}));
  }

  private void handshakeFailed(long gen, Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof HandshakeRejectedException rejected) {
      fire(new HandshakeRefused(gen, rejected));
    } else {
      fire(new ConnectFailed(gen, Errors.HANDSHAKE_FAILED.exception(
          "connection '" + name + "' generation " + gen + ": the handshake failed: " + cause,
          cause)));
    }
  }

  /** A handshake's view of channel {@code gen}: its messages bypass the queue. */
  private final class ChannelSession implements io.redial.Session<M> {
    private final long gen;

    ChannelSession(long gen) {
      this.gen = gen;
    }

    @Override
    public long generation() {
      return gen;
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<Void> send(M message) {
      Outbound<M> m = outbound(message, false, null);
      onLoop(() -> writeOnSession(m), () -> outbox.fail(m, loopGone()));
      return (CompletableFuture<Void>) (CompletableFuture<?>) m.future;
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<M> request(M message, Duration timeout) {
      long timeoutNanos = checkRequest(timeout);
      Outbound<M> m = outbound(message, true, requestKey(message));
      onLoop(
          () -> {
            armDeadline(m, timeoutNanos);
            writeOnSession(m);
          },
          () -> outbox.fail(m, loopGone()));
      return (CompletableFuture<M>) (CompletableFuture<?>) m.future;
    }

    private void writeOnSession(Outbound<M> m) {
      if (m.done()) {
        m.release(codec);
      } else if ((lifecycle.handshaking(gen) || lifecycle.flushing(gen)) && channelGen == gen
          && channel != null && channel.isActive()) {
        outbox.writeNow(m, channel, gen);
      } else {
        outbox.fail(m, Errors.CHANNEL_CLOSED.exception("connection '" + name + "': the"
            + " handshake's channel (generation " + gen + ") is gone; " + codec.noun()
            + " not sent"));
      }
    }
  }

  // ---- requests ---------------------------------------------------------------------------------

  private void armDeadline(Outbound<M> m, long timeoutNanos) {
    long left = m.createdNanos + timeoutNanos - ticker.nanoTime();
    m.deadline = scheduler.schedule(() -> expire(m, timeoutNanos), Math.max(0, left));
  }

  private void expire(Outbound<M> m, long timeoutNanos) {
    m.deadline = null;
    if (m.done()) {
      return;
    }
    String where = m.writeGen == 0 ? "it never left the offline queue"
        : "it was written to generation " + (m.writeGen > 0 ? m.writeGen : channelGen);
    m.future.completeExceptionally(Errors.REQUEST_TIMEOUT.exception(
        "connection '" + name + "': request of " + m.size + " bytes got no reply within "
            + Duration.ofNanos(timeoutNanos) + " (" + where + ")"));
    if (m.writeGen == 0) {
      outbox.dropQueued(m);
    } else if (requests != null) {
      requests.expired(m);
    }
  }

  // ---- what channels report (event loop) ------------------------------------------------------

  @Override
  public void transportUp(long gen) {
    fire(new TransportUp(gen, ticker.nanoTime()));
  }

  @Override
  public void connectFailed(long gen, RedialException cause) {
    fire(new ConnectFailed(gen, cause));
  }

  @Override
  public void channelLost(long gen, RedialException cause) {
    fire(new ChannelLost(gen, cause));
  }

  @Override
  public void channelClosed(long gen) {
    if (!loop.inEventLoop()) {
      onLoop(() -> channelClosed(gen), () -> {});
      return;
    }
    if (gen == channelGen) {
      outbox.channelClosed(gen);
      if (requests != null) {
        for (Outbound<M> r : requests.drain()) {
          outbox.fail(r, Errors.CONNECTION_LOST.exception(
              "connection '" + name + "' generation " + gen + ": request of " + r.size
                  + " bytes was sent, but the channel closed before its reply: it may or may not"
                  + " have been applied"));
        }
      }
    }
    fire(new ChannelClosed(gen, ticker.nanoTime()));
  }

  @Override
  public void received(long gen, Object msg) {
    if (gen != channelGen) {
      ReferenceCountUtil.release(msg); // a stale channel's message
      return;
    }
    M message;
    try {
      message = codec.inbound(msg);
    } catch (RuntimeException e) {
      ReferenceCountUtil.release(msg);
      log.callbackFailed(gen, "the codec (a message of another type than "
          + codec.type().getName() + " reached the pipeline's tail)", e);
      return;
    }
    if (message != msg) {
      ReferenceCountUtil.release(msg); // the codec copied it (a frame's bytes)
    }
    counters.begin();
    counters.messagesReceived++;
    counters.bytesReceived += sizeOfReceived(gen, message);
    counters.end();
    if (requests != null && requests.size() > 0) {
      RequestTable.Outcome outcome;
      try {
        outcome = requests.match(message);
      } catch (RuntimeException e) {
        log.callbackFailed(gen, "the correlation's replyKey", e);
        codec.release(message);
        return;
      }
      if (outcome != RequestTable.Outcome.NONE) {
        Outbound<M> r = requests.matched();
        Outbox.cancelDeadline(r);
        if (outcome == RequestTable.Outcome.CONSUMED || !r.future.complete(message)) {
          codec.release(message); // a late reply, a ping's: nobody else will
        }
        if (lifecycle.phase() == Phase.DRAINING) {
          idle();
        }
        return;
      }
    }
    try {
      config.onMessage().accept(message);
    } catch (RuntimeException e) {
      log.callbackFailed(gen, "onMessage", e);
    } finally {
      codec.release(message);
    }
  }

  private int sizeOfReceived(long gen, M message) {
    try {
      return codec.sizeOf(message);
    } catch (RuntimeException e) {
      log.callbackFailed(gen, "the codec's sizeOf", e);
      return 0;
    }
  }

  @Override
  public void pingDue(long gen) {
    if (gen != channelGen || channel == null) {
      return;
    }
    Object made = config.ping().get();
    if (!codec.type().isInstance(made)) {
      ReferenceCountUtil.release(made);
      log.callbackFailed(gen, "the heartbeat's ping supplier (it must make a "
          + codec.type().getName() + ", but made " + made + ")", new ClassCastException());
      return;
    }
    M ping = codec.type().cast(made);
    Object key = null;
    boolean request = requests != null;
    if (request && config.requestKey() != null) {
      try {
        key = config.requestKey().apply(ping);
      } catch (RuntimeException e) {
        key = null;
      }
      request = key != null;
    }
    outbox.writeNow(new Outbound<>(ping, codec.sizeOf(ping), ticker.nanoTime(), request, key,
        true), channel, gen);
  }

  @Override
  public void pingMissed(long gen) {
    fire(new PingUnanswered(gen));
  }

  @Override
  public void writabilityChanged(long gen) {
    outbox.writable(gen);
  }

  // ---- what the outbox reports ------------------------------------------------------------------

  @Override
  public void writeFailed(long gen, Throwable cause) {
    fire(new ChannelLost(gen, RedialException.wrap(
        "connection '" + name + "' generation " + gen + ": write failed", cause)));
  }

  @Override
  public void idle() {
    if (lifecycle.phase() == Phase.DRAINING && outbox.isEmpty()
        && (requests == null || requests.size() == 0)) {
      fire(new Drained(channelGen));
    }
  }

  // ---- lifecycle notifications ------------------------------------------------------------------

  private void requestClose() {
    outbox.state(ConnectionState.CLOSING); // refuse new messages from now on
    fire(new CloseRequested(new ClosedByApplication(name)));
  }

  private void emit(ConnectionEvent event) {
    if (event instanceof ConnectionEvent.StateChanged sc) {
      cell.publish(sc.to());
      outbox.state(sc.to());
      publishLifecycleCounters();
    } else if (event instanceof ConnectionEvent.AttemptStarted) {
      publishLifecycleCounters();
    }
    log.emit(event, channel,
        config.heartbeat() == null ? null : config.heartbeat().timeout());
    if (event instanceof ConnectionEvent.StateChanged sc) {
      // after the listeners: whoever waited on a future or awaitState sees the events recorded
      cell.settle(sc, lifecycle.closeCause().orElse(null));
    }
  }

  private void publishLifecycleCounters() {
    counters.begin();
    counters.attempts = lifecycle.attempts();
    counters.connects = lifecycle.connects();
    counters.disconnects = lifecycle.disconnects();
    counters.end();
  }

  private void terminate(RedialException cause) {
    for (Timer t : Timer.values()) {
      setTimer(t, null);
    }
    int failed = outbox.failAll(cause);
    channel = null;
    log.closed(lifecycle.attempts(), lifecycle.connects(), counters.messagesSent, failed,
        cause == null ? null : cause.getMessage());
    cell.closeFuture.complete(null);
  }

  // ---- for tests and diagnostics ----------------------------------------------------------------

  /**
   * Completes on the event loop after every task submitted before it (sends, injected events):
   * for tests that must know those were handled. {@code stats()} never waits for the loop.
   */
  public CompletableFuture<Void> barrier() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    onLoop(() -> done.complete(null), () -> done.complete(null));
    return done;
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
    return channels.decoderHighWater();
  }

  /** The remote address of the live channel, for tests and diagnostics; null when none. */
  public SocketAddress remoteAddress() {
    Channel ch = channel;
    return ch == null ? null : ch.remoteAddress();
  }
}
