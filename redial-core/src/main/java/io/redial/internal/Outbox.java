package io.redial.internal;

import io.netty.channel.Channel;
import io.netty.handler.codec.EncoderException;
import io.redial.ConnectionState;
import io.redial.RedialException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The send side of a connection: admission (limits, rejectWhileDisconnected, closed), the offline
 * queue, messages in flight on the live channel, replay of unwritten messages in order on the next
 * channel, queue deadlines, and failing what is left when the connection closes. Every future it
 * is given completes exactly once, and it releases its reference to every reference-counted
 * message exactly once. Event loop only.
 *
 * <p>Messages are written only to a <em>target</em> channel the driver opened with
 * {@link #open} (a CONNECTED, handshaken channel), except the few written with
 * {@link #writeNow} (a handshake's messages, pings), which bypass the queue.
 */
final class Outbox<M> {
  /** What the outbox tells the driver. */
  interface Listener {
    /** A write failed on channel {@code gen}, which still looks alive: it cannot be trusted. */
    void writeFailed(long gen, Throwable cause);

    /** Nothing is queued or in flight any more. */
    void idle();
  }

  private final ConnectionConfig<M> config;
  /** How long a message may wait for space in a full queue; null: it fails at once. */
  private final SpaceWaiters<M> spaceWaiters;
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final Counters counters;
  /** Null without a correlation. */
  private final RequestTable<M> requests;
  private final Listener listener;

  /** Waiting for the target channel, in send order (replayed messages first). */
  private ArrayDeque<Outbound<M>> queue; // null until first used: most connections never queue
  private long queuedBytes;
  /** Handed to the target channel, write not completed yet, in write order. */
  private ArrayDeque<Outbound<M>> inflight; // null until the first write
  /** The CONNECTED channel queued messages go to; null while there is none. */
  private Channel target;
  private WriteBatcher targetBatcher;
  private long targetGen;
  /** False from CLOSING on: new messages fail at once. */
  private boolean accepting = true;
  /** The connection's state, for messages and for rejectWhileDisconnected. */
  private ConnectionState state = ConnectionState.IDLE;
  private boolean flushScheduled;
  /** Inside {@link #batch}: the fast path's writes are flushed when it ends. */
  private boolean batching;
  private boolean unflushed;
  /** The timer of the oldest queued message's queueTimeout, or of the oldest space waiter. */
  private Scheduler.Cancellable queueTimer;
  /** Request deadlines; null until the first request. */
  private Deadlines<M> deadlines;

  Outbox(ConnectionConfig<M> config, Scheduler scheduler,
      Ticker ticker, Counters counters, RequestTable<M> requests, Listener listener) {
    this.config = config;
    this.spaceWaiters = config.queueFullWait() == null ? null
        : new SpaceWaiters<>(config.queueFullWait().toNanos(), scheduler, ticker, codec());
    this.scheduler = scheduler;
    this.ticker = ticker;
    this.counters = counters;
    this.requests = requests;
    this.listener = listener;
  }

  /** The connection's state changed. */
  void state(ConnectionState state) {
    this.state = state;
    if (state == ConnectionState.CLOSING || state == ConnectionState.CLOSED) {
      accepting = false;
    }
  }

  int queued() {
    return queue == null ? 0 : queue.size();
  }

  long queuedBytes() {
    return queuedBytes;
  }

  int inflight() {
    return inflight == null ? 0 : inflight.size();
  }

  /** 0: no queue deadline. */
  private long queueTimeoutNanos() {
    return config.queueTimeout() == null ? 0 : config.queueTimeout().toNanos();
  }

  private ArrayDeque<Outbound<M>> queueForAdd() {
    if (queue == null) {
      queue = new ArrayDeque<>(4);
    }
    return queue;
  }

  /** True when nothing is queued or in flight. */
  boolean isEmpty() {
    return queued() == 0 && inflight() == 0;
  }

  // ---- admission --------------------------------------------------------------------------------

  /** A new message from the application. */
  void offer(Outbound<M> m) {
    if (m.done()) {
      m.release(codec()); // its deadline passed before it reached the loop
      return;
    }
    if (!accepting) {
      fail(m, Errors.CONNECTION_CLOSED.exception(
          "connection '" + name() + "' is " + state.name().toLowerCase() + ": " + describe(m)
              + " not sent"));
      return;
    }
    if (target != null && queued() == 0 && target.isWritable()) {
      write(m, target, targetGen);
      scheduleFlush();
      return;
    }
    if (target == null && config.rejectWhileDisconnected()) {
      fail(m, Errors.WSAENOTCONN.exception(
          "connection '" + name() + "' is not connected (" + state
              + ") and rejectWhileDisconnected is set: " + describe(m) + " not sent"));
      return;
    }
    if (!hasSpaceFor(m)) {
      if (spaceWaiters != null) {
        spaceWaiters.park(m, this::waitedTooLong);
      } else {
        fail(m, full(m));
      }
      return;
    }
    enqueue(m);
    if (target != null) {
      flush();
    }
  }

  private boolean hasSpaceFor(Outbound<M> m) {
    return queued() < config.offlineMaxFrames()
        && queuedBytes + m.size <= config.offlineMaxBytes();
  }

  private RedialException full(Outbound<M> m) {
    return Errors.QUEUE_FULL.exception(
        "connection '" + name() + "' (" + state + "): the offline queue is full (" + queued()
            + " of maxFrames " + config.offlineMaxFrames() + " " + codec().noun() + "s, "
            + queuedBytes + " of maxBytes " + config.offlineMaxBytes() + " bytes); " + describe(m)
            + " refused, queued " + codec().noun() + "s kept");
  }

  private void enqueue(Outbound<M> m) {
    boolean wasEmpty = queued() == 0;
    queueForAdd().addLast(m);
    queuedBytes += m.size;
    publishQueue();
    if (wasEmpty) {
      armQueueTimer();
    }
  }

  /** Lets space waiters in, in order, as far as the room allows. */
  private void admitWaiters() {
    if (spaceWaiters != null) {
      spaceWaiters.admit(this::hasSpaceFor, this::enqueue);
    }
  }

  private void waitedTooLong(Outbound<M> m) {
    RedialException full = full(m);
    fail(m, new RedialException(full.error(), full.getMessage() + " after waiting "
        + ms(config.queueFullWait().toNanos()) + " for space", null));
  }

  // ---- the target channel -----------------------------------------------------------------------

  /** Channel {@code gen} is CONNECTED (and handshaken): queued messages go to it, in order. */
  void open(Channel channel, long gen) {
    target = channel;
    targetBatcher = WriteBatcher.of(channel);
    targetGen = gen;
    flush();
  }

  /** Channel {@code gen} is being closed: new messages queue for the next channel. */
  void detach(long gen) {
    if (gen == targetGen) {
      target = null;
      targetBatcher = null;
    }
  }

  /** The target's writability changed. */
  void writable(long gen) {
    if (target != null && gen == targetGen && target.isWritable()) {
      flush();
    }
  }

  /** Writes queued messages while the target is writable (Netty's high-water mark bounds it). */
  void flush() {
    Channel ch = target;
    if (ch == null) {
      return;
    }
    boolean wrote = false;
    for (int rounds = 0; rounds < 1_000_000; rounds++) {
      Outbound<M> m;
      while (ch.isWritable() && queue != null && (m = queue.poll()) != null) {
        queuedBytes -= m.size;
        if (m.done()) {
          m.release(codec()); // its deadline passed while queued
          continue;
        }
        write(m, ch, targetGen);
        wrote = true;
      }
      admitWaiters(); // the room just made lets space waiters in, in order
      if (queued() == 0 || !ch.isWritable()) {
        break;
      }
    }
    publishQueue();
    armQueueTimer();
    if (wrote) {
      ch.flush();
    }
    if (isEmpty()) {
      listener.idle();
    }
  }

  /** Writes {@code m} to channel {@code gen} now, ahead of the queue (a handshake's, a ping). */
  void writeNow(Outbound<M> m, Channel channel, long gen) {
    m.bound = true;
    write(m, channel, gen);
    channel.flush();
  }

  private void write(Outbound<M> m, Channel ch, long gen) {
    if (m.request && requests != null && !requests.register(m)) {
      fail(m, new IllegalStateException("request key " + m.key + " is already waiting for a reply"
          + " on connection '" + name() + "'"));
      return;
    }
    m.writeGen = gen;
    if (inflight == null) {
      inflight = new ArrayDeque<>(4);
    }
    inflight.addLast(m);
    WriteBatcher batcher = ch == target ? targetBatcher : WriteBatcher.of(ch);
    if (batcher == null) {
      return; // the pipeline is gone with its channel: channelClosed() puts the message back
    }
    batcher.begin();
    ch.write(codec().outbound(ch.alloc(), m.message), ch.voidPromise());
    Throwable cause = batcher.end();
    if (cause == null) {
      return; // counted by messagesWritten once its bytes are out
    }
    boolean live = ch.isActive();
    if ((live && isCodecFailure(cause) && !batcher.broken()) || m.bound) {
      // the encoder refused this message (it alone fails, the channel goes on), or a message
      // bound to this channel could not be written (it is never replayed on another)
      inflight.removeLastOccurrence(m);
      m.writeGen = 0;
      if (m.request && requests != null) {
        requests.unregister(m);
      }
      fail(m, live && isCodecFailure(cause)
          ? Errors.CODEC_FAILED.exception("connection '" + name() + "' generation " + gen + ": "
              + describe(m) + " could not be encoded: " + cause, cause)
          : RedialException.wrap("connection '" + name() + "' generation " + gen + ": "
              + describe(m) + " could not be written", cause));
      if (isEmpty()) {
        listener.idle();
      }
    } else if (live) {
      // it stays in flight: the channel is closed, and it goes out again on the next one
      listener.writeFailed(gen, cause);
    }
  }

  /** The next {@code count} messages in flight on channel {@code gen} were written. */
  void written(long gen, int count) {
    for (int i = 0; i < count; i++) {
      Outbound<M> m = inflight == null ? null : inflight.peekFirst();
      if (m == null || m.writeGen != gen) {
        break; // put back for a newer channel already
      }
      inflight.pollFirst();
      m.writeGen = -1;
      if (!m.internal) {
        counters.begin();
        counters.messagesSent++;
        counters.bytesSent += m.size;
        counters.end();
      }
      m.release(codec()); // our reference; the channel released its own
      if (!m.request) {
        m.future.complete(null);
      }
    }
    if (isEmpty()) {
      listener.idle();
    }
  }

  /** A write of channel {@code gen} failed in the transport. */
  void batchFailed(long gen, Throwable cause) {
    Channel ch = ch(gen);
    if (ch != null && ch.isActive()) {
      listener.writeFailed(gen, cause);
    }
    // else: the channel is closing; channelClosed() puts the unwritten messages back
  }

  private Channel ch(long gen) {
    return target != null && gen == targetGen ? target : null;
  }

  private static boolean isCodecFailure(Throwable cause) {
    return cause instanceof EncoderException || cause instanceof ClassCastException
        || cause instanceof IllegalArgumentException
        || cause instanceof UnsupportedOperationException;
  }

  /**
   * Channel {@code gen} closed: it is no target any more, and messages whose write had not
   * completed go back to the head of the queue, in their order, to go out exactly once on the next
   * channel (requests among them leave the request table: their bytes never fully left).
   */
  void channelClosed(long gen) {
    if (gen == targetGen) {
      target = null;
      targetBatcher = null;
    }
    Outbound<M> m;
    boolean requeued = false;
    while (inflight != null && (m = inflight.pollLast()) != null) {
      if (m.request && requests != null) {
        requests.unregister(m);
      }
      m.writeGen = 0;
      if (m.bound) {
        fail(m, Errors.CHANNEL_CLOSED.exception("connection '" + name() + "' generation " + gen
            + ": the channel closed before " + describe(m) + " was written"));
        continue;
      }
      if (m.done()) {
        m.release(codec()); // timed out meanwhile
        continue;
      }
      queueForAdd().addFirst(m);
      queuedBytes += m.size;
      requeued = true;
    }
    if (requeued) {
      publishQueue();
      armQueueTimer();
    }
  }

  /** Fails a queued request whose deadline passed, taking it out of the queue. */
  void dropQueued(Outbound<M> m) {
    if (m.writeGen == 0 && queue != null && queue.remove(m)) {
      queuedBytes -= m.size;
      m.release(codec());
      publishQueue();
      admitWaiters();
    }
  }

  // ---- deadlines --------------------------------------------------------------------------------

  private void armQueueTimer() {
    if (queueTimeoutNanos() == 0) {
      return;
    }
    if (queueTimer != null) {
      queueTimer.cancel();
      queueTimer = null;
    }
    Outbound<M> oldest = queue == null ? null : queue.peekFirst();
    if (oldest != null) {
      long due = oldest.createdNanos + queueTimeoutNanos() - ticker.nanoTime();
      queueTimer = scheduler.schedule(this::expireQueued, Math.max(0, due));
    }
  }

  /** Fails every queued message older than queueTimeout (the queue is oldest first). */
  private void expireQueued() {
    queueTimer = null;
    long now = ticker.nanoTime();
    List<Outbound<M>> expired = new ArrayList<>();
    Outbound<M> m;
    while (queue != null && (m = queue.peekFirst()) != null
        && now - m.createdNanos >= queueTimeoutNanos()) {
      queue.pollFirst();
      queuedBytes -= m.size;
      expired.add(m);
    }
    publishQueue(); // before the failures: whoever they wake reads the queue without them
    for (Outbound<M> e : expired) {
      fail(e, Errors.QUEUE_TIMEOUT.exception(
          "connection '" + name() + "' (" + state + "): " + describe(e) + " waited "
              + ms(now - e.createdNanos) + " in the offline queue, over queueTimeout "
              + ms(queueTimeoutNanos())));
    }
    admitWaiters();
    armQueueTimer();
  }

  // ---- the end ----------------------------------------------------------------------------------

  /** CLOSED: fails everything still here with {@code cause}; returns how many failed. */
  int failAll(RedialException cause) {
    accepting = false;
    target = null;
    targetBatcher = null;
    cancelTimers();
    // the counters first: whoever a failed future wakes reads an empty queue in stats()
    List<Outbound<M>> unsent = new ArrayList<>(inflight() + queued());
    for (ArrayDeque<Outbound<M>> q : Arrays.asList(inflight, queue)) {
      if (q != null) {
        unsent.addAll(q);
        q.clear();
      }
    }
    queuedBytes = 0;
    publishQueue();
    int failed = unsent.size();
    if (spaceWaiters != null) {
      failed += spaceWaiters.failAll(m -> cause, m -> fail(m, unsent(m, cause)));
    }
    for (Outbound<M> m : unsent) {
      m.writeGen = 0;
      fail(m, unsent(m, cause));
    }
    return failed;
  }

  private RedialException unsent(Outbound<M> m, RedialException cause) {
    return new RedialException(cause.error(), describe(m) + " was not written before connection '"
        + name() + "' closed: " + cause.getMessage(), cause);
  }

  private void cancelTimers() {
    if (queueTimer != null) {
      queueTimer.cancel();
      queueTimer = null;
    }
    if (deadlines != null) {
      deadlines.cancelAll();
    }
  }

  /** The request deadlines, made on first use with what to do when one passes. */
  Deadlines<M> deadlines(java.util.function.BiConsumer<Outbound<M>, java.time.Duration> expire) {
    if (deadlines == null) {
      deadlines = new Deadlines<>(scheduler, ticker, expire);
    }
    return deadlines;
  }

  /** Fails {@code m} (if it is not done already) and releases the message. */
  void fail(Outbound<M> m, Throwable cause) {
    cancelDeadline(m);
    m.future.completeExceptionally(cause);
    m.release(codec());
  }

  static void cancelDeadline(Outbound<?> m) {
    if (m.deadline != null) {
      m.deadline.cancel();
      m.deadline = null;
    }
  }

  /**
   * Offers every message {@code offers} hands over, then flushes once: a burst handed over from
   * another thread goes out in one flush, without a flush task of its own.
   */
  void batch(Runnable offers) {
    batching = true;
    try {
      offers.run();
    } finally {
      batching = false;
      if (unflushed) {
        unflushed = false;
        Channel ch = target;
        if (ch != null) {
          ch.flush();
        }
      }
    }
  }

  private void scheduleFlush() {
    if (batching) {
      unflushed = true;
      return;
    }
    if (!flushScheduled && target != null) {
      flushScheduled = true;
      Channel ch = target;
      // runs after the tasks already queued (other sends): one flush for the whole batch
      ch.eventLoop().execute(() -> {
        flushScheduled = false;
        ch.flush();
      });
    }
  }

  private void publishQueue() {
    counters.begin();
    counters.queued = queued();
    counters.queuedBytes = queuedBytes;
    counters.end();
  }

  private String describe(Outbound<M> m) {
    return (m.request ? "request" : codec().noun()) + " of " + m.size + " bytes";
  }

  private static String ms(long nanos) {
    return (nanos / 1_000_000) + " ms";
  }

  private String name() {
    return config.name();
  }

  private MessageCodec<M> codec() {
    return config.codec();
  }
}
