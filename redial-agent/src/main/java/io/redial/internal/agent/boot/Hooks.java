package io.redial.internal.agent.boot;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The static entry points that advice inlined into JDK classes calls.
 *
 * <p>Loaded by the bootstrap class loader. Nothing here may ever throw into the host: every call
 * is wrapped, and the first failure of a probe reports once and switches that probe off, so a bug
 * in the agent costs at most its own reports, never the application's behaviour.
 */
public final class Hooks {
  public static final int SOCKET_CONNECT = 0;
  public static final int SOCKET_CLOSE = 1;
  public static final int CHANNEL_OPEN = 2;
  public static final int CHANNEL_CONNECT = 3;
  public static final int CHANNEL_CLOSE = 4;
  public static final int ASYNC_CONNECT = 5;
  public static final int ASYNC_CLOSE = 6;
  public static final int NATIVE_OPEN = 7;
  public static final int NATIVE_CONNECT = 8;
  public static final int NATIVE_CLOSE = 9;

  private static final String[] NAMES = {
    "socket-connect", "socket-close", "channel-open", "channel-connect", "channel-close",
    "async-connect", "async-close", "native-open", "native-connect", "native-close"
  };

  /** Set once at agent start-up; null means the agent is not (yet) active. */
  private static volatile Probe probe;

  /** 1 at index i once probe i failed: it stays off for the rest of the JVM's life. */
  private static final AtomicIntegerArray OFF = new AtomicIntegerArray(NAMES.length);

  private Hooks() {}

  /**
   * Activates the agent. Returns false, changing nothing, when a probe is already installed (the
   * agent was attached twice): two sets of advice on one socket would each see the other's
   * connect as pending.
   */
  public static synchronized boolean install(Probe p) {
    if (probe != null) {
      return false;
    }
    probe = p;
    return true;
  }

  /**
   * Deactivates {@code p} if it is the active probe (the end of a {@code redial attach --watch}):
   * from then on every hook returns at its first check, and a later attach may install again.
   */
  public static synchronized boolean uninstall(Probe p) {
    if (probe != p || p == null) {
      return false;
    }
    probe = null;
    return true;
  }

  /** The human-readable name of a probe id. */
  public static String name(int probeId) {
    return probeId >= 0 && probeId < NAMES.length ? NAMES[probeId] : "probe-" + probeId;
  }

  /** Whether the probe is still on. */
  public static boolean isOn(int probeId) {
    return probe != null && OFF.get(probeId) == 0;
  }

  public static void opened(int probeId, Object socket) {
    Probe p = probe;
    if (p == null || OFF.get(probeId) != 0) {
      return;
    }
    try {
      p.opened(probeId, socket);
    } catch (Throwable t) {
      fail(p, probeId, t);
    }
  }

  public static Object connectStart(int probeId, Object socket, Object target) {
    Probe p = probe;
    if (p == null || OFF.get(probeId) != 0) {
      return null;
    }
    try {
      return p.connectStart(probeId, socket, target);
    } catch (Throwable t) {
      fail(p, probeId, t);
      return null;
    }
  }

  public static void connectEnd(
      int probeId, Object socket, Object token, boolean connected, Throwable thrown) {
    Probe p = probe;
    if (p == null || token == null || OFF.get(probeId) != 0) {
      return;
    }
    try {
      p.connectEnd(probeId, socket, token, connected, thrown);
    } catch (Throwable t) {
      fail(p, probeId, t);
    }
  }

  public static void settled(int probeId, Object socket, boolean connected) {
    Probe p = probe;
    if (p == null || OFF.get(probeId) != 0) {
      return;
    }
    try {
      p.settled(probeId, socket, connected);
    } catch (Throwable t) {
      fail(p, probeId, t);
    }
  }

  public static void closed(int probeId, Object socket) {
    Probe p = probe;
    if (p == null || OFF.get(probeId) != 0) {
      return;
    }
    try {
      p.closed(probeId, socket);
    } catch (Throwable t) {
      fail(p, probeId, t);
    }
  }

  /** Switches a probe off; the first caller reports why. */
  public static void fail(Probe p, int probeId, Throwable t) {
    if (OFF.compareAndSet(probeId, 0, 1)) {
      try {
        p.internalError(name(probeId), t);
      } catch (Throwable ignored) {
        // Reporting the failure failed too: the probe is off, which is all that matters now.
      }
    }
  }
}
