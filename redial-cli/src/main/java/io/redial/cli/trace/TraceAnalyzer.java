package io.redial.cli.trace;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Follows every socket through the system calls of a traced program and turns a connect that
 * cannot be right into a {@link TraceFinding}.
 *
 * <p>Descriptors are numbers the kernel hands out again after close, so the analyzer follows
 * sockets, not numbers: {@code socket()} returning a number that was used before is a new socket.
 * Threads share one descriptor table ({@code clone} with {@code CLONE_FILES}); a forked process
 * gets a copy. {@code dup}, {@code dup2}, {@code dup3} and {@code fcntl(F_DUPFD)} give one socket
 * a second number; the socket is closed when its last number is. A connect is judged when it
 * starts, so two threads racing on one socket are caught whatever order strace prints their
 * results in; the kernel's own answer (EISCONN, EALREADY, EBADF) reports what happened before the
 * trace began. Findings are handed on once the calls they name have returned, with their stacks.
 * Used by one thread.
 */
public final class TraceAnalyzer implements StraceReader.Listener {
  /** Findings printed in full per pattern; the rest are only counted. */
  static final int MAX_FULL_REPORTS = 1000;

  private enum State { OPEN, PENDING, CONNECTED }

  /** One socket, however many descriptor numbers it has. */
  private static final class Sock {
    final long id;
    final Syscall opened;
    int numbers = 1;
    State state = State.OPEN;
    /** The connect that connected it, or made it pending; null if before the trace. */
    Syscall by;
    /** A connect that has started and not returned yet (another thread may be inside it). */
    Syscall inFlight;
    boolean closed;

    Sock(long id, Syscall opened) {
      this.id = id;
      this.opened = opened;
    }
  }

  /** A descriptor table: shared by threads, copied by fork. */
  private static final class FdTable {
    final Map<Integer, Sock> open = new HashMap<>();
    /** The socket a number last referred to before it was closed, and the close. */
    final Map<Integer, Syscall> closedBy = new HashMap<>();
    final Map<Integer, Sock> closedSock = new HashMap<>();

    FdTable copy() {
      FdTable t = new FdTable();
      open.forEach((fd, s) -> {
        s.numbers++;
        t.open.put(fd, s);
      });
      return t;
    }
  }

  private final Consumer<TraceFinding> out;
  private final Map<Integer, FdTable> tables = new HashMap<>();
  private final List<TraceFinding> waiting = new ArrayList<>();
  /** Calls already judged, so the kernel's answer does not report them a second time. */
  private final Set<Syscall> judged = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<TracePattern, Integer> counts = new EnumMap<>(TracePattern.class);
  /** Sockets followed so far, and how many of them are not closed: counts, so a long -p trace
   *  holds only the sockets that are open (and the last one behind each closed number). */
  private long ids;
  private int openSockets;

  /** {@code out} receives each finding once, when its calls have returned (or at the end). */
  public TraceAnalyzer(Consumer<TraceFinding> out) {
    this.out = out;
    for (TracePattern p : TracePattern.values()) {
      counts.put(p, 0);
    }
  }

  @Override
  public void started(Syscall c) {
    if (c.name().equals("connect")) {
      connectStarted(c);
    }
  }

  @Override
  public void finished(Syscall c) {
    switch (c.name()) {
      case "socket", "accept", "accept4" -> opened(c);
      case "socketpair" -> socketpair(c);
      case "connect" -> connectReturned(c);
      case "close" -> close(table(c.pid()), c.fd(), c);
      case "close_range" -> closeRange(c);
      case "dup" -> dup(c, c.fd(), (int) c.value());
      case "dup2", "dup3" -> dup(c, c.fd(), (int) c.value());
      case "fcntl", "fcntl64" -> {
        List<String> a = c.topLevelArgs();
        if (a.size() > 1 && a.get(1).startsWith("F_DUPFD")) {
          dup(c, c.fd(), (int) c.value());
        }
      }
      case "getsockopt" -> soError(c);
      case "clone", "clone3", "fork", "vfork" -> cloned(c);
      default -> { }
    }
    release();
  }

  // ------------------------------------------------------------------------------- sockets

  private void opened(Syscall c) {
    long fd = c.value();
    if (fd < 0 || c.errno() != null) {
      return;
    }
    FdTable t = table(c.pid());
    close(t, (int) fd, null); // a number we thought open was closed unseen (or by exec)
    Sock s = new Sock(++ids, c);
    if (!c.name().equals("socket")) {
      s.state = State.CONNECTED; // accepted: connected by the peer
      s.by = c;
    }
    openSockets++;
    t.open.put((int) fd, s);
    t.closedBy.remove((int) fd);
  }

  private void socketpair(Syscall c) {
    if (c.value() != 0) {
      return;
    }
    List<String> a = c.topLevelArgs();
    String pair = a.isEmpty() ? "" : a.get(a.size() - 1).replaceAll("[\\[\\] ]", "");
    FdTable t = table(c.pid());
    for (String n : pair.split(",")) {
      try {
        int fd = Integer.parseInt(n);
        Sock s = new Sock(++ids, c);
        s.state = State.CONNECTED;
        s.by = c;
        openSockets++;
        t.open.put(fd, s);
      } catch (NumberFormatException e) {
        return;
      }
    }
  }

  private void close(FdTable t, int fd, Syscall c) {
    Sock s = t.open.remove(fd);
    if (s == null) {
      return;
    }
    if (c != null && c.value() == 0) {
      t.closedBy.put(fd, c);
      t.closedSock.put(fd, s);
    }
    if (--s.numbers == 0 && !s.closed) {
      s.closed = true;
      openSockets--;
    }
  }

  private void closeRange(Syscall c) {
    List<String> a = c.topLevelArgs();
    if (c.value() != 0 || a.size() < 2) {
      return;
    }
    long from = parseUnsigned(a.get(0));
    long to = a.get(1).equals("~0U") ? Long.MAX_VALUE : parseUnsigned(a.get(1));
    FdTable t = table(c.pid());
    for (Integer fd : List.copyOf(t.open.keySet())) {
      if (fd >= from && fd <= to) {
        close(t, fd, c);
      }
    }
  }

  private static long parseUnsigned(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void dup(Syscall c, int from, int to) {
    if (to < 0 || c.errno() != null) {
      return;
    }
    FdTable t = table(c.pid());
    Sock s = t.open.get(from);
    if (s == null || from == to) {
      return;
    }
    close(t, to, null); // dup2 closes what the target number held
    s.numbers++;
    t.open.put(to, s);
    t.closedBy.remove(to);
  }

  /** {@code getsockopt(fd, SOL_SOCKET, SO_ERROR, [0], [4])}: a pending connect is over. */
  private void soError(Syscall c) {
    List<String> a = c.topLevelArgs();
    if (c.value() != 0 || a.size() < 4 || !a.get(2).equals("SO_ERROR")) {
      return;
    }
    Sock s = table(c.pid()).open.get(c.fd());
    if (s == null || s.state != State.PENDING) {
      return;
    }
    boolean ok = a.get(3).equals("[0]");
    s.state = ok ? State.CONNECTED : State.OPEN;
    if (!ok) {
      s.by = null;
    }
  }

  // ------------------------------------------------------------------------------- connect

  private void connectStarted(Syscall c) {
    FdTable t = table(c.pid());
    int fd = c.fd();
    Sock s = t.open.get(fd);
    if (s == null) {
      Syscall close = t.closedBy.get(fd);
      if (close != null) {
        Sock was = t.closedSock.get(fd);
        judge(new TraceFinding(TracePattern.CONNECT_AFTER_CLOSE, label(was, fd),
            "connect() on descriptor " + fd + ", which was closed: a handle reused after close",
            "closed", close, c));
      }
      return; // unknown: opened before the trace; the kernel's answer will tell
    }
    if (s.inFlight != null && s.inFlight != c) {
      judge(new TraceFinding(TracePattern.CONNECT_PENDING, label(s, fd), "connect() on "
          + label(s, fd) + " while another thread's connect on it has not returned",
          "pending connect", s.inFlight, c));
    } else if (s.state == State.PENDING) {
      judge(new TraceFinding(TracePattern.CONNECT_PENDING, label(s, fd), "connect() on "
          + label(s, fd) + " while its non-blocking connect is still pending",
          "pending connect", s.by, c));
    } else if (s.state == State.CONNECTED) {
      judge(new TraceFinding(TracePattern.DOUBLE_CONNECT, label(s, fd), "connect() on "
          + label(s, fd) + ", which is already connected", "first connect", s.by, c));
    }
    if (s.inFlight == null && !c.finished()) {
      s.inFlight = c;
    }
  }

  private void connectReturned(Syscall c) {
    FdTable t = table(c.pid());
    int fd = c.fd();
    Sock s = t.open.get(fd);
    if (s != null && s.inFlight == c) {
      s.inFlight = null;
    }
    String errno = c.errno();
    if (!judged.remove(c) && errno != null) {
      // The kernel knows more than the trace: the socket's history began before it.
      String name = s != null ? label(s, fd) : "descriptor " + fd;
      switch (errno) {
        case "EISCONN" -> count(new TraceFinding(TracePattern.DOUBLE_CONNECT, name,
            "connect() on " + name + ", which is already connected (before the trace began)",
            "first connect", null, c));
        case "EALREADY" -> count(new TraceFinding(TracePattern.CONNECT_PENDING, name,
            "connect() on " + name + " while a connect on it is still pending",
            "pending connect", s != null ? s.by : null, c));
        case "EBADF" -> count(new TraceFinding(TracePattern.CONNECT_AFTER_CLOSE, name,
            "connect() on descriptor " + fd + ", which is not open: closed before the trace"
                + " began, or never opened", "closed", null, c));
        default -> { }
      }
    }
    if (s == null) {
      if (c.value() == 0 || "EISCONN".equals(errno) || "EINPROGRESS".equals(errno)) {
        // A socket opened before the trace: follow it from here.
        s = new Sock(++ids, null);
        s.numbers = 1;
        openSockets++;
        t.open.put(fd, s);
      } else {
        return;
      }
    }
    if (c.value() == 0 || "EISCONN".equals(errno)) {
      if (s.state != State.CONNECTED) {
        s.state = State.CONNECTED;
        s.by = c.value() == 0 ? c : s.by;
      }
    } else if ("EINPROGRESS".equals(errno)) {
      if (s.state != State.CONNECTED) {
        s.state = State.PENDING;
        s.by = c;
      }
    } else if (errno != null && !"EALREADY".equals(errno) && !"EINTR".equals(errno)
        && s.state == State.PENDING && s.by == c) {
      s.state = State.OPEN;
      s.by = null;
    }
  }

  /** A finding at a connect's start: its return (connectReturned) must not report it again. */
  private void judge(TraceFinding f) {
    judged.add(f.second());
    count(f);
  }

  /** A finding from the kernel's answer, at the connect's return. */
  private void count(TraceFinding f) {
    // Printed in full up to a cap per pattern, as the agent does: a spinning loop only counts.
    if (counts.merge(f.pattern(), 1, Integer::sum) <= MAX_FULL_REPORTS) {
      waiting.add(f);
    }
  }

  /** Hands on the findings whose calls have all returned, in the order they were found. */
  private void release() {
    for (Iterator<TraceFinding> it = waiting.iterator(); it.hasNext(); ) {
      TraceFinding f = it.next();
      if (!f.complete()) {
        return; // keep the order: a later finding waits for an earlier one
      }
      it.remove();
      out.accept(f);
    }
  }

  /** The trace is over: every finding still waiting goes out as it is. */
  public void end() {
    waiting.forEach(out);
    waiting.clear();
  }

  private static String label(Sock s, int fd) {
    return s == null ? "descriptor " + fd : "socket #" + s.id + " (fd " + fd + ")";
  }

  // ------------------------------------------------------------------------------ processes

  private FdTable table(int pid) {
    return tables.computeIfAbsent(pid, p -> new FdTable());
  }

  /** A new thread shares the table ({@code CLONE_FILES}); a new process gets a copy. */
  private void cloned(Syscall c) {
    long child = c.value();
    if (child <= 0 || child > Integer.MAX_VALUE) {
      return;
    }
    FdTable parent = table(c.pid());
    boolean shares = c.args().contains("CLONE_FILES");
    FdTable early = tables.get((int) child);
    FdTable t = shares ? parent : parent.copy();
    if (early != null) {
      // The child's first calls were printed before the clone returned: keep what they did.
      early.open.forEach(t.open::put);
      early.closedBy.forEach(t.closedBy::put);
      early.closedSock.forEach(t.closedSock::put);
    }
    tables.put((int) child, t);
  }

  // ------------------------------------------------------------------------------- summary

  /** How often each pattern was found so far. */
  public Map<TracePattern, Integer> counts() {
    return Map.copyOf(counts);
  }

  /** How many sockets the trace followed. */
  public int socketsSeen() {
    return (int) ids;
  }

  /** How many of them were never closed (the process ended, or the trace did, first). */
  public int stillOpen() {
    return openSockets;
  }
}
