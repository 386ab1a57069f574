package io.redial.internal;

import io.redial.ConnectionStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A connection's counters: written on its event loop only, read from any thread without locks
 * and without blocking, never torn. A sequence lock: the loop makes {@link #version} odd, writes,
 * and makes it even again; a reader retries until it read the fields between two equal, even
 * versions. On the loop a write costs two ordered stores and no allocation.
 */
final class Counters {
  private static final VarHandle VERSION;

  static {
    try {
      VERSION = MethodHandles.lookup().findVarHandle(Counters.class, "version", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // through VERSION
  private volatile long version;

  // written between begin() and end() on the event loop only
  long attempts;
  long connects;
  long disconnects;
  long messagesSent;
  long messagesReceived;
  long bytesSent;
  long bytesReceived;
  int queued;
  long queuedBytes;

  /** Starts a write (event loop only). */
  void begin() {
    VERSION.setOpaque(this, (long) VERSION.getOpaque(this) + 1);
    VarHandle.storeStoreFence();
  }

  /** Ends a write (event loop only). */
  void end() {
    VERSION.setRelease(this, (long) VERSION.getOpaque(this) + 1);
  }

  /** A consistent snapshot, from any thread. */
  ConnectionStats snapshot() {
    ConnectionStats s = null;
    for (int i = 0; i < 1_000_000; i++) {
      long before = (long) VERSION.getAcquire(this);
      s = new ConnectionStats(attempts, connects, disconnects, messagesSent, messagesReceived,
          bytesSent, bytesReceived, queued, queuedBytes);
      VarHandle.loadLoadFence();
      if ((before & 1) == 0 && before == (long) VERSION.getOpaque(this)) {
        return s;
      }
      Thread.onSpinWait();
    }
    return s; // a writer cannot hold the lock that long; never seen
  }
}
