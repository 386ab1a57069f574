package io.redial.testkit.internal;

import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ConnectionPendingException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * Recognises the error this whole project is about: connecting a socket that is already connected
 * or connecting (WSAEISCONN 10056, EISCONN, {@code AlreadyConnectedException},
 * {@code ConnectionPendingException}, "already connected").
 */
public final class DoubleConnect {
  private static final int MAX_THROWABLES = 64;

  private DoubleConnect() {}

  /** The first throwable in {@code t}'s causes and suppressed exceptions that is a double connect, or null. */
  public static Throwable find(Throwable t) {
    Deque<Throwable> todo = new ArrayDeque<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    if (t != null) {
      todo.add(t);
    }
    while (!todo.isEmpty() && seen.size() < MAX_THROWABLES) {
      Throwable x = todo.poll();
      if (!seen.add(x)) {
        continue;
      }
      if (is(x)) {
        return x;
      }
      if (x.getCause() != null) {
        todo.add(x.getCause());
      }
      Collections.addAll(todo, x.getSuppressed());
    }
    return null;
  }

  /** Throws an AssertionError naming the bug if {@code t} contains a double connect. */
  public static void failIfFound(String during, Throwable t) {
    Throwable found = find(t);
    if (found != null) {
      throw new AssertionError(during + " failed with " + found
          + ": the client connected a socket that was already connected or connecting"
          + " (WSAEISCONN / EISCONN). Close the old socket and open a fresh one for every attempt.", t);
    }
  }

  private static boolean is(Throwable x) {
    if (x instanceof AlreadyConnectedException || x instanceof ConnectionPendingException) {
      return true;
    }
    String m = x.getMessage();
    if (m == null) {
      return false;
    }
    String lower = m.toLowerCase(Locale.ROOT);
    return lower.contains("already connected") || lower.contains("eisconn");
  }
}
