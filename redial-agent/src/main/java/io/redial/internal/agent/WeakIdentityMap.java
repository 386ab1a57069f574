package io.redial.internal.agent;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map from objects, compared by identity and held weakly, to values. When a key is
 * collected its entry can be taken out with {@link #pollCollected} or {@link #awaitCollected}:
 * that is the moment a socket that was never closed becomes a leak report.
 *
 * <p>Identity, not {@code equals}: a subclass of {@code Socket} may override {@code equals}, and
 * two sockets are never the same socket.
 *
 * @param <V> the value type; values must not refer to their key, or the key is never collected
 */
final class WeakIdentityMap<V> {
  private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> queue = new ReferenceQueue<>();

  V get(Object key) {
    return map.get(new Lookup(key));
  }

  /** Puts the value unless the key is present; returns the value now in the map. */
  V putIfAbsent(Object key, V value) {
    V old = map.putIfAbsent(new WeakKey(key, queue), value);
    return old != null ? old : value;
  }

  int size() {
    return map.size();
  }

  /** Calls {@code action} for every entry whose key is still alive (a snapshot, not a lock). */
  void forEachLive(java.util.function.BiConsumer<Object, V> action) {
    map.forEach((k, v) -> {
      Object key = k instanceof WeakKey w ? w.get() : null;
      if (key != null) {
        action.accept(key, v);
      }
    });
  }

  /** The value of one collected key, or null when none is waiting. */
  V pollCollected() {
    return removeEntryOf(queue.poll());
  }

  /** Waits up to {@code millis} for a collected key; its value, or null on timeout. */
  V awaitCollected(long millis) throws InterruptedException {
    return removeEntryOf(queue.remove(millis));
  }

  private V removeEntryOf(Reference<?> ref) {
    // A key whose entry was never inserted (lost a putIfAbsent race) has no value: null.
    return ref == null ? null : map.remove(ref);
  }

  /** The stored key: a weak reference that remembers the identity hash of its referent. */
  private static final class WeakKey extends WeakReference<Object> {
    private final int hash;

    WeakKey(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (o == this) {
        return true;
      }
      Object mine = get();
      if (mine == null) {
        return false; // cleared: only equal to itself, so that remove(this) still works
      }
      if (o instanceof WeakKey w) {
        return mine == w.get();
      }
      return o instanceof Lookup l && mine == l.referent;
    }
  }

  /** A throw-away key for lookups, so that a get does not allocate a reference. */
  private static final class Lookup {
    private final Object referent;

    Lookup(Object referent) {
      this.referent = referent;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(referent);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof WeakKey w ? w.get() == referent
          : o instanceof Lookup l && l.referent == referent;
    }
  }
}
