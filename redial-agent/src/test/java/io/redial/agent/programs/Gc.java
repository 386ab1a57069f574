package io.redial.agent.programs;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;

/** Lets the leak programs wait until dropped objects have really been collected. */
final class Gc {
  private Gc() {}

  /**
   * Two collections, each proven by a sentinel: once the second sentinel is enqueued, every
   * reference the first collection cleared has been handed to its queue too (the JDK's reference
   * handler works through one collection's references before the next one's).
   */
  static void awaitTwoCollections() throws InterruptedException {
    awaitCollection();
    awaitCollection();
  }

  private static void awaitCollection() throws InterruptedException {
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), queue);
    for (int i = 0; i < 50; i++) {
      System.gc();
      if (queue.remove(100) == sentinel) {
        return;
      }
    }
    throw new IllegalStateException("no garbage collection within 5 s");
  }
}
