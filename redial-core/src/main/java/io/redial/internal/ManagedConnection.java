package io.redial.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.redial.ConnectionEvent;
import io.redial.ConnectionListener;
import io.redial.ConnectionState;
import io.redial.ConnectionStats;
import io.redial.MessageConnection;
import io.redial.RedialException;
import io.redial.internal.LifecycleTypes.Action;
import io.redial.internal.LifecycleTypes.CancelTimer;
import io.redial.internal.LifecycleTypes.ChannelClosed;
import io.redial.internal.LifecycleTypes.ChannelLost;
import io.redial.internal.LifecycleTypes.CloseChannel;
import io.redial.internal.LifecycleTypes.CloseRequested;
import io.redial.internal.LifecycleTypes.ConnectFailed;
import io.redial.internal.LifecycleTypes.ConnectRequested;
import io.redial.internal.LifecycleTypes.Drain;
import io.redial.internal.LifecycleTypes.Drained;
import io.redial.internal.LifecycleTypes.Emit;
import io.redial.internal.LifecycleTypes.Event;
import io.redial.internal.LifecycleTypes.FlushQueue;
import io.redial.internal.LifecycleTypes.OpenChannel;
import io.redial.internal.LifecycleTypes.Phase;
import io.redial.internal.LifecycleTypes.PingUnanswered;
import io.redial.internal.LifecycleTypes.ReconnectRequested;
import io.redial.internal.LifecycleTypes.ResetBackoff;
import io.redial.internal.LifecycleTypes.ScheduleTimer;
import io.redial.internal.LifecycleTypes.StartHandshake;
import io.redial.internal.LifecycleTypes.Terminate;
import io.redial.internal.LifecycleTypes.TimerFired;
import io.redial.internal.LifecycleTypes.TransportUp;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
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
public class ManagedConnection<M, S extends MessageConnection<M>> extends ChannelFactory<M>
    implements MessageConnection<M>, Outbox.Listener {
  private final Lifecycle lifecycle;
  private final Outbox<M> outbox;
  /** Null without a correlation. */
  private final RequestTable<M> requests;
  private final Counters counters = new Counters();
  private final StateCell<S> cell;
  private final EventLog log;
  /**
   * Made on first use (an idle connection that never sent carries none). Immutable, with final
   * fields: two threads racing to make it make two equal ones, both safely published.
   */
  private Messages<M> messages;
  /** Messages handed over by other threads, newest first (see {@link #submit}). */
  private volatile Outbound<M> submitted;

  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<ManagedConnection, Outbound> SUBMITTED =
      AtomicReferenceFieldUpdater.newUpdater(ManagedConnection.class, Outbound.class, "submitted");
  /** Made when the first message arrives: an idle connection carries none. */
  private Inbox<M> inbox;

  // ---- event loop only ------------------------------------------------------------------------
  /** The newest channel (generation {@link #channelGen}); null before the first attempt. */
  private Channel channel;
  private long channelGen;
  /** Events raised while others are being handled; null until first needed (most never). */
  private ArrayDeque<Event> pendingEvents;
  private boolean dispatching;

  @SuppressWarnings("unchecked")
  protected ManagedConnection(
      ConnectionConfig<M> config, Function<EventLoop, Scheduler> schedulers, Ticker ticker) {
    super(config, schedulers, ticker);
    this.lifecycle = new Lifecycle(config, sweep);
    this.requests = config.correlated() ? new RequestTable<>(config.replyKey()) : null;
    this.cell = new StateCell<>((S) this);
    this.log = new EventLog(config, ticker);
    this.outbox = new Outbox<>(config, scheduler, ticker, counters, requests, this);
  }

  // ---- public API (any thread) ----------------------------------------------------------------

  @Override
  public String name() {
    return config.name();
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
    Outbound<M> m = messages().message(message);
    submit(m);
    return (CompletableFuture<Void>) (CompletableFuture<?>) m.future;
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletableFuture<M> request(M message, Duration timeout) {
    Outbound<M> m = messages().request(message, timeout);
    m.timeout = timeout;
    submit(m);
    return (CompletableFuture<M>) (CompletableFuture<?>) m.future;
  }

  /**
   * Hands {@code m} to the event loop. From another thread it is pushed on a lock-free stack, and
   * only the push onto an empty stack submits a task: a burst of sends costs one task, not one
   * each. Tasks that must see earlier sends first (close, barrier) drain the stack themselves.
   */
  private void submit(Outbound<M> m) {
    if (loop.inEventLoop()) {
      drainSubmitted(); // earlier hand-overs first: the caller's order is kept
      accept(m);
      return;
    }
    Outbound<M> head;
    do {
      head = submitted;
      m.next = head;
    } while (!SUBMITTED.compareAndSet(this, head, m));
    if (head == null) {
      try {
        loop.execute(this::drainSubmitted);
      } catch (RejectedExecutionException e) {
        failSubmitted();
      }
    }
  }

  /** Takes every handed-over message, oldest first, into the outbox, then flushes (loop). */
  @SuppressWarnings("unchecked")
  private void drainSubmitted() {
    Outbound<M> newest = (Outbound<M>) SUBMITTED.getAndSet(this, null);
    if (newest == null) {
      return;
    }
    Outbound<M> oldest = null;
    while (newest != null) { // reverse: the stack is newest first
      Outbound<M> older = newest.next;
      newest.next = oldest;
      oldest = newest;
      newest = older;
    }
    Outbound<M> first = oldest;
    outbox.batch(() -> {
      for (Outbound<M> m = first; m != null; ) {
        Outbound<M> next = m.next;
        m.next = null;
        accept(m);
        m = next;
      }
    });
  }

  private void accept(Outbound<M> m) {
    outbox.offer(m);
    if (m.timeout != null && !m.done()) {
      messages().armDeadline(m, m.timeout);
    }
  }

  /** The event loop refused the task: the group is shut down; fail what was handed over. */
  @SuppressWarnings("unchecked")
  private void failSubmitted() {
    Outbound<M> m = (Outbound<M>) SUBMITTED.getAndSet(this, null);
    while (m != null) {
      Outbound<M> next = m.next;
      m.next = null;
      outbox.fail(m, loopGone());
      m = next;
    }
  }

  private Messages<M> messages() {
    Messages<M> m = messages;
    if (m == null) {
      m = new Messages<>(config, ticker, outbox, requests);
      messages = m;
    }
    return m;
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
  public void addListener(ConnectionListener listener) {
    Checks.notNull("listener", listener);
    onLoop(() -> log.addListener(listener), () -> {});
  }

  @Override
  public ConnectionStats stats() {
    return counters.snapshot();
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    onLoop(this::requestClose, () -> cell.closeFuture().complete(null));
    return cell.closeFuture();
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
      EventLog.logger().debug("[{}] close: {}", name(), e.toString());
    }
  }

  @Override
  public String toString() {
    return "Connection[" + name() + ", " + cell.state() + ", generation " + cell.generation() + "]";
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
        "connection '" + name() + "': its event loop group was shut down");
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
    if (dispatching) {
      if (pendingEvents == null) {
        pendingEvents = new ArrayDeque<>(4);
      }
      pendingEvents.add(event);
      return;
    }
    dispatching = true;
    try {
      Event next = event;
      while (next != null) {
        for (Action action : lifecycle.handle(next)) {
          try {
            execute(action);
          } catch (RuntimeException e) {
            EventLog.logger().error("[{}] internal error carrying out {}", name(), action, e);
          }
        }
        next = pendingEvents == null ? null : pendingEvents.poll();
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
        // the heartbeat starts with CONNECTED: no ping goes out before the handshake succeeded
        HeartbeatHandler heartbeat = channel.pipeline().get(HeartbeatHandler.class);
        if (heartbeat != null) {
          heartbeat.begin();
        }
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

  private void openChannel(OpenChannel a) {
    long gen = a.gen();
    cell.generation(gen);
    log.attemptStarted(gen, sweep.current(), a.attempt());
    channelGen = gen;
    channel = null;
    channel = open(gen);
  }

  // ---- the handshake ----------------------------------------------------------------------------

  private void startHandshake(long gen) {
    ChannelSession.run(config.handshake(), new ChannelSession<>(gen, messages(),
        this::writeOnSession), this::fire, ticker, task -> onLoop(task, () -> {}));
  }

  /** Writes a handshake's message on channel {@code gen} only, ahead of the queue. */
  private void writeOnSession(long gen, Outbound<M> m, Duration deadline) {
    onLoop(() -> {
      if (deadline != null) {
        messages().armDeadline(m, deadline);
      }
      if (m.done()) {
        m.release(config.codec());
      } else if ((lifecycle.handshaking(gen) || lifecycle.flushing(gen)) && channelGen == gen
          && channel != null && channel.isActive()) {
        outbox.writeNow(m, channel, gen);
      } else {
        outbox.fail(m, Errors.CHANNEL_CLOSED.exception("connection '" + name() + "': the"
            + " handshake's channel (generation " + gen + ") is gone; " + config.codec().noun()
            + " not sent"));
      }
    }, () -> outbox.fail(m, loopGone()));
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
              "connection '" + name() + "' generation " + gen + ": request of " + r.size
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
    if (inbox == null) {
      inbox = new Inbox<>(config, requests, counters, log);
    }
    if (inbox.accept(gen, msg) && lifecycle.phase() == Phase.DRAINING) {
      idle(); // a drain also waits for the replies of requests it wrote
    }
  }

  @Override
  public void pingDue(long gen) {
    if (gen == channelGen && channel != null && lifecycle.flushing(gen)) {
      Outbound<M> ping = messages().ping(gen, log);
      if (ping != null) {
        outbox.writeNow(ping, channel, gen);
      }
    }
  }

  @Override
  public void pingMissed(long gen) {
    fire(new PingUnanswered(gen));
  }

  @Override
  public void writabilityChanged(long gen) {
    outbox.writable(gen);
  }

  @Override
  public void messagesWritten(long gen, int count) {
    outbox.written(gen, count);
  }

  @Override
  public void batchFailed(long gen, Throwable cause) {
    outbox.batchFailed(gen, cause);
  }

  // ---- what the outbox reports ------------------------------------------------------------------

  @Override
  public void writeFailed(long gen, Throwable cause) {
    fire(new ChannelLost(gen, RedialException.wrap(
        "connection '" + name() + "' generation " + gen + ": write failed", cause)));
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
    drainSubmitted(); // what was sent before close() is not refused
    outbox.state(ConnectionState.CLOSING); // refuse new messages from now on
    fire(new CloseRequested(new ClosedByApplication(name())));
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
    cancelAllTimers();
    int failed = outbox.failAll(cause);
    channel = null;
    log.closed(lifecycle.attempts(), lifecycle.connects(), counters.messagesSent, failed, cause);
    cell.closeFuture().complete(null);
  }

  // ---- for tests and diagnostics ----------------------------------------------------------------

  /**
   * Completes on the event loop after every task submitted before it (sends, injected events):
   * for tests that must know those were handled. {@code stats()} never waits for the loop.
   */
  public CompletableFuture<Void> barrier() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    onLoop(() -> {
      drainSubmitted();
      done.complete(null);
    }, () -> done.complete(null));
    return done;
  }

  /**
   * Feeds a lifecycle event as if a channel had reported it. For tests that replay late or
   * duplicate reports about old channels; the lifecycle must ignore what is stale.
   */
  public void inject(Event event) {
    fire(event);
  }

  /** The remote address of the live channel, for tests and diagnostics; null when none. */
  public SocketAddress remoteAddress() {
    Channel ch = channel;
    return ch == null ? null : ch.remoteAddress();
  }
}
