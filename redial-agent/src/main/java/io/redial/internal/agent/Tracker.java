package io.redial.internal.agent;

import io.redial.errors.SocketError;
import io.redial.errors.SocketErrors;
import io.redial.internal.agent.boot.Probe;
import java.io.IOException;
import java.net.Socket;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The agent's brain: follows every watched socket through open, connect and close, and turns a
 * connect that cannot be right into a {@link Report}.
 *
 * <p>Called from any thread, inside JDK socket methods (sometimes holding their locks), so it
 * takes only its own per-socket monitor, never calls back into the socket, and prints outside
 * that monitor.
 *
 * <p>Recording a stack is what the agent costs, so by default it records one per socket: that of
 * the first operation it sees on it (a channel's open, else its first connect; for a socket older
 * than an attached agent, possibly its close). Later connects and the close record thread, time
 * and target only. A misuse is found as the offending call starts, so that call's own stack is
 * taken then. With {@code stacks=all} every open, connect and close records its stack, for
 * someone hunting a bug who wants to see, say, where a socket was closed.
 *
 * <p>Either way a {@link StackBudget} caps the stacks recorded per second ({@code stackRate},
 * 1000 by default), so the agent's cost has a ceiling however fast sockets come and go; a socket
 * over the budget is followed just the same, and its reports say its stack was not sampled. The
 * offending call's stack is not subject to the budget: misuse reports are capped on their own.
 */
public final class Tracker implements Probe {
  /** Full reports printed per pattern; the rest are only counted, so a spinning loop can't flood. */
  static final int MAX_FULL_REPORTS = 1000;
  /** In place of a close's stack when only one stack per socket is recorded. */
  static final String CLOSE_NOT_RECORDED =
      "not recorded; start the agent with stacks=all to record close stacks";
  /** In place of a connect's stack when the socket's one stack was recorded before it. */
  static final String CONNECT_NOT_RECORDED =
      "not recorded; start the agent with stacks=all to record connect stacks";
  private static final StackCapture.Captured NO_CLOSE_STACK =
      StackCapture.notRecorded(CLOSE_NOT_RECORDED);
  private static final StackCapture.Captured NO_CONNECT_STACK =
      StackCapture.notRecorded(CONNECT_NOT_RECORDED);

  private final WeakIdentityMap<SocketRecord> records = new WeakIdentityMap<>();
  private final StackCapture stacks;
  private final StackBudget budget;
  /** In place of a stack the budget refused. */
  private final StackCapture.Captured notSampled;
  private final Clock clock;
  private final boolean leaks;
  /** {@code stacks=all}: every open, connect and close records its stack, not only the first. */
  private final boolean allStacks;
  private final Reporter reporter;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Pattern, AtomicLong> counts = new EnumMap<>(Pattern.class);
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicLong internalErrors = new AtomicLong();
  /** The leak watcher, once started; stopped by {@link #shutdown}. */
  private volatile Thread watcher;
  /**
   * Attached to a running JVM: a socket seen for the first time may be older than the agent, so
   * its state is asked from the socket itself (connected, pending, closed) before it is judged.
   */
  private final boolean lateStart;
  /** Set by the first of {@link #shutdown} and the end of a watch: the summary is printed once. */
  private final AtomicBoolean finished = new AtomicBoolean();

  Tracker(AgentOptions options, Reporter reporter, Clock clock) {
    this(options, reporter, clock, false);
  }

  Tracker(AgentOptions options, Reporter reporter, Clock clock, boolean lateStart) {
    this(options, reporter, clock, lateStart, System::nanoTime);
  }

  /** {@code nanos}: the monotonic clock of the stack budget (a test's own, or System's). */
  Tracker(AgentOptions options, Reporter reporter, Clock clock, boolean lateStart,
      LongSupplier nanos) {
    this.lateStart = lateStart;
    this.stacks = new StackCapture(options.stackDepth());
    this.budget = new StackBudget(options.stackRate(), nanos);
    this.notSampled = StackCapture.notRecorded(budget.refusalNote());
    this.leaks = options.leaks();
    this.allStacks = options.allStacks();
    this.reporter = reporter;
    this.clock = clock;
    for (Pattern p : Pattern.values()) {
      counts.put(p, new AtomicLong());
    }
  }

  /**
   * A connect that broke a rule: reported at once, then the token for the call's return.
   * {@code origin} is the socket's recorded stack when {@code first} has none, else null.
   */
  private record Violation(Pattern pattern, SocketRecord record, String firstRole, Attempt first,
      Attempt second, String originRole, Attempt origin) {}

  @Override
  public void opened(int probe, Object socket) {
    if (!leaks || records.get(socket) != null) {
      return; // chained constructors report the same channel twice: the innermost wins
    }
    SocketRecord rec = new SocketRecord(SocketKind.of(probe), ids.incrementAndGet());
    rec.opened = recorded(rec, null, "opened"); // not yet published: no monitor needed
    records.putIfAbsent(socket, rec);
  }

  @Override
  public Object connectStart(int probe, Object socket, Object target) {
    SocketRecord rec = recordFor(SocketKind.of(probe), socket);
    Pattern pattern;
    String firstRole;
    Attempt first;
    Attempt origin;
    String originRole;
    synchronized (rec) {
      if (rec.closedAt != null) {
        pattern = Pattern.CONNECT_AFTER_CLOSE;
        firstRole = "closed";
        first = rec.closedAt;
      } else if (rec.connectedBy != null) {
        pattern = Pattern.DOUBLE_CONNECT;
        firstRole = "first connect";
        first = rec.connectedBy;
      } else if (rec.pending != null) {
        pattern = Pattern.CONNECT_PENDING;
        firstRole = "pending connect";
        first = rec.pending;
      } else {
        // The pending connect, kept for a later report: with a stack only if it is the
        // socket's first recorded operation (or stacks=all).
        Attempt now = recorded(rec, target, "first connect");
        rec.pending = now;
        if (leaks && rec.opened == null && rec.kind == SocketKind.SOCKET) {
          rec.opened = now; // a Socket's descriptor exists from its first connect
        }
        return now;
      }
      boolean showOrigin = !first.stackRecorded() && !first.beforeAttach()
          && rec.origin != null && rec.origin != first;
      origin = showOrigin ? rec.origin : null;
      // (A first connect that failed, then a retry that connected: two different "first"s.)
      originRole = !showOrigin ? null
          : rec.originRole.equals(firstRole) ? "earlier connect" : rec.originRole;
    }
    // The offending call: its stack is what the report is about, so it is always taken.
    Violation violation = new Violation(pattern, rec, firstRole, first, attempt(target),
        originRole, origin);
    // Report now, not when the call returns: the JDK may first wait for a lock that another
    // thread holds for as long as its own connect or a blocked read lasts (a SocketChannel's
    // connect takes the read lock), and a hang is exactly when the report is needed.
    report(violation);
    return violation;
  }

  @Override
  public void connectEnd(
      int probe, Object socket, Object token, boolean connected, Throwable thrown) {
    Attempt attempt;
    SocketRecord rec;
    if (token instanceof Violation v) {
      if (thrown != null) {
        return; // refused, as expected; the report is out already
      }
      // The JDK let the call through (say the other thread's connect failed while this one
      // waited for the lock): follow this attempt from here, so the next misuse is still seen.
      rec = v.record();
      attempt = v.second();
      synchronized (rec) {
        if (rec.closedAt != null || rec.connectedBy != null || rec.pending != null) {
          return;
        }
        rec.pending = attempt;
      }
    } else if (token instanceof Attempt a) {
      attempt = a;
      rec = records.get(socket);
      if (rec == null) {
        return;
      }
    } else {
      return;
    }
    synchronized (rec) {
      if (rec.pending != attempt) {
        return; // already settled by finishConnect/setConnected, or superseded
      }
      if (thrown != null) {
        rec.pending = null;
      } else if (connected) {
        rec.connectedBy = attempt;
        rec.pending = null;
      }
      // else: a non-blocking connect is under way; finishConnect settles it.
    }
  }

  @Override
  public void settled(int probe, Object socket, boolean connected) {
    SocketRecord rec = records.get(socket);
    if (rec == null) {
      return;
    }
    synchronized (rec) {
      if (connected && rec.connectedBy == null) {
        rec.connectedBy =
            rec.pending != null ? rec.pending : recorded(rec, null, "first connect");
      }
      rec.pending = null;
    }
  }

  @Override
  public void closed(int probe, Object socket) {
    SocketRecord rec = records.get(socket);
    if (rec == null) {
      if (!lateStart) {
        return; // never connected through a watched path: nothing to compare a reuse with
      }
      // Older than the agent: remember the close, so a reuse is reported against it.
      rec = records.putIfAbsent(socket, new SocketRecord(SocketKind.of(probe),
          ids.incrementAndGet()));
    }
    boolean withStack;
    boolean refused;
    synchronized (rec) {
      if (rec.closedAt != null) {
        return; // the first close is the one that matters
      }
      // A socket first seen at its close (older than an attached agent) has no stack yet.
      withStack = allStacks || (rec.origin == null && !rec.stackRefused);
      refused = rec.stackRefused;
    }
    Attempt now = !withStack ? unrecorded(null, refused ? notSampled : NO_CLOSE_STACK)
        : budget.tryTake() ? attempt(null) : unrecorded(null, notSampled);
    synchronized (rec) {
      if (rec.closedAt == null) {
        rec.closedAt = now;
        // Only the close matters from now on (a reuse is reported against it): let the other
        // attempts go now rather than when the socket is collected. The socket's one recorded
        // stack stays while the close has none: a reuse report shows it instead.
        rec.opened = null;
        rec.connectedBy = null;
        rec.pending = null;
        if (now.stackRecorded()) {
          rec.origin = null;
          rec.originRole = null;
        }
      }
    }
  }

  @Override
  public void internalError(String probe, Throwable error) {
    internalErrors.incrementAndGet();
    reporter.internalError("probe " + probe, error);
  }

  /** Reports a failure of the agent outside the probes (instrumentation, leak watcher). */
  void agentError(String what, Throwable error) {
    internalErrors.incrementAndGet();
    reporter.internalError(what, error);
  }

  private SocketRecord recordFor(SocketKind kind, Object socket) {
    SocketRecord rec = records.get(socket);
    if (rec != null) {
      return rec;
    }
    SocketRecord created = new SocketRecord(kind, ids.incrementAndGet());
    if (lateStart) {
      learn(created, socket); // before it is published: nobody judges it half-known
    }
    return records.putIfAbsent(socket, created);
  }

  /**
   * What a socket older than the agent already went through, asked from the socket itself. Only
   * reads that take no lock the connect path holds: the channel's state is a volatile field, and
   * {@code Socket.isClosed()} takes only its close lock, which close() holds briefly.
   */
  void learn(SocketRecord rec, Object socket) {
    String closed = "closed before the agent was attached";
    String connected = "connected before the agent was attached";
    try {
      if (socket instanceof Socket s) {
        if (s.isClosed()) {
          rec.closedAt = before(closed);
        } else if (s.isConnected()) {
          rec.connectedBy = before(connected);
        }
      } else if (socket instanceof SocketChannel ch) {
        if (!ch.isOpen()) {
          rec.closedAt = before(closed);
        } else if (ch.isConnected()) {
          rec.connectedBy = before(connected);
        } else if (ch.isConnectionPending()) {
          rec.pending = before("a connect started before the agent was attached");
        }
      } else if (socket instanceof AsynchronousSocketChannel ch) {
        if (!ch.isOpen()) {
          rec.closedAt = before(closed);
        } else if (ch.getRemoteAddress() != null) {
          rec.connectedBy = before(connected);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Closed meanwhile, or an unexpected type: judge it from what the agent sees from now on.
    }
  }

  /** A placeholder for something that happened before the agent was there to see it. */
  private Attempt before(String what) {
    return Attempt.before(what, clock.instant());
  }

  /** The current operation with its stack. */
  private Attempt attempt(Object target) {
    Thread t = Thread.currentThread();
    return new Attempt(t.getName(), t.getId(), clock.instant(), target, stacks.capture());
  }

  /** The current operation without a stack; {@code why} says so in reports. */
  private Attempt unrecorded(Object target, StackCapture.Captured why) {
    Thread t = Thread.currentThread();
    return new Attempt(t.getName(), t.getId(), clock.instant(), target, why);
  }

  /**
   * An open or a connect about to be kept in {@code rec}: with its stack when it is the socket's
   * first recorded operation (which then becomes the socket's origin) or when every stack is
   * recorded, and the budget allows; without one otherwise. The caller holds {@code rec}'s
   * monitor (or has not published it yet).
   */
  private Attempt recorded(SocketRecord rec, Object target, String role) {
    if (!allStacks && (rec.origin != null || rec.stackRefused)) {
      return unrecorded(target, rec.stackRefused ? notSampled : NO_CONNECT_STACK);
    }
    if (!budget.tryTake()) {
      rec.stackRefused = true; // one ask per socket, unless every stack is wanted
      return unrecorded(target, notSampled);
    }
    Attempt a = attempt(target);
    if (rec.origin == null) {
      rec.origin = a;
      rec.originRole = role;
    }
    return a;
  }

  private void report(Violation v) {
    String socket = v.record().label();
    String headline = switch (v.pattern()) {
      case DOUBLE_CONNECT -> "connect() on " + socket + ", which is already connected";
      case CONNECT_PENDING -> "connect() on " + socket
          + " while another connect on it is still pending";
      case CONNECT_AFTER_CLOSE -> "connect() on " + socket
          + ", which was closed: a handle reused after close";
      case LEAKED_SOCKET -> throw new IllegalStateException("not a connect violation");
    };
    String note = v.pattern() == Pattern.CONNECT_AFTER_CLOSE
        ? "A closed socket can never connect again. Create a new one for every attempt." : null;
    emit(new Report(v.pattern(), socket, headline, v.firstRole(), v.first(), "this connect",
        v.second(), note, explain(v.pattern()), v.originRole(), v.origin()));
  }

  /** A socket was collected: a leak if it was never closed. */
  void collected(SocketRecord rec) {
    Attempt opened;
    synchronized (rec) {
      if (rec.closedAt != null || rec.opened == null) {
        return;
      }
      opened = rec.opened;
    }
    emit(new Report(Pattern.LEAKED_SOCKET, rec.label(),
        rec.label() + " was garbage-collected without close()", "opened", opened, null, null,
        rec.kind.leakNote() + " Close it in a finally block or try-with-resources.",
        explain(Pattern.LEAKED_SOCKET)));
  }

  private void emit(Report report) {
    if (counts.get(report.pattern()).incrementAndGet() > MAX_FULL_REPORTS) {
      suppressed.incrementAndGet();
      return;
    }
    reporter.report(report);
  }

  private static Optional<SocketError> explain(Pattern pattern) {
    if (pattern.catalogName() == null) {
      return Optional.empty();
    }
    try {
      return SocketErrors.lookup(pattern.catalogName());
    } catch (RuntimeException | LinkageError e) {
      return Optional.empty(); // the report is still worth printing without the explanation
    }
  }

  /** Reports every socket collected so far; returns how many records were taken out. */
  int drainCollected() {
    int n = 0;
    SocketRecord rec;
    while ((rec = records.pollCollected()) != null) {
      collected(rec);
      n++;
    }
    return n;
  }

  /** Starts the daemon thread that turns collected, unclosed sockets into reports. */
  void startLeakWatcher() {
    Thread t = new Thread(this::watchCollected, "redial-agent-leaks");
    t.setDaemon(true);
    watcher = t;
    t.start();
  }

  /** The leak watcher's loop: blocks for collected sockets until interrupted. */
  private void watchCollected() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        SocketRecord rec = records.awaitCollected(0);
        if (rec != null) {
          collected(rec);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      agentError("leak watcher", e);
    }
  }

  /** The counts so far. */
  Summary summary() {
    Map<Pattern, Long> snapshot = new EnumMap<>(Pattern.class);
    counts.forEach((p, n) -> snapshot.put(p, n.get()));
    return new Summary(snapshot, suppressed.get(), internalErrors.get(), ids.get(),
        budget.denied());
  }

  /**
   * At JVM exit: the last leaks, then the summary. The watcher is stopped first, so that a leak
   * it has taken off the queue is counted before the summary is, not after.
   */
  void shutdown() {
    if (!finished.compareAndSet(false, true)) {
      return; // a watch ended first and printed the summary
    }
    Thread t = watcher;
    if (t != null) {
      t.interrupt();
      try {
        t.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    drainCollected();
    reporter.summary(summary());
  }

  /**
   * A {@code redial attach --watch} is over: the last leaks, the summary, and from then on the
   * agent is inert ({@link io.redial.internal.agent.boot.Hooks#uninstall}). Returns false when
   * the JVM's exit came first.
   */
  boolean endWatch() {
    io.redial.internal.agent.boot.Hooks.uninstall(this);
    if (finished.get()) {
      return false;
    }
    shutdown();
    return true;
  }

  /** The live socket table, as JSON lines (see {@link SocketTable}). */
  java.util.List<String> socketTable() {
    return SocketTable.lines(records, clock.instant());
  }

  int watchedNow() {
    return records.size();
  }
}
