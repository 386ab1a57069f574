package io.redial.bench.internal;

import io.netty.channel.EventLoopGroup;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;

/**
 * The event loops of one comparison, the same size for every client: one Netty group (native
 * epoll when it loads) that raw Netty, Redial, Reactor Netty and the hand-rolled loop all run on,
 * and, made on first use, a Vert.x instance with as many event-loop threads (Vert.x runs only on
 * its own loops; it prefers the native transport too). {@link #close()} ends both, bounded.
 */
public final class Loops implements AutoCloseable {
  private final int threads;
  private final EventLoopGroup group;
  private Vertx vertx;

  public Loops(int threads, String name) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, but was " + threads);
    }
    this.threads = threads;
    this.group = Net.newGroup(threads, name);
  }

  /** Event-loop threads per library. */
  public int threads() {
    return threads;
  }

  /** The Netty group every Netty-based client runs on. */
  public EventLoopGroup group() {
    return group;
  }

  /** Vert.x with {@link #threads()} event loops, made on first use. */
  public synchronized Vertx vertx() {
    if (vertx == null) {
      vertx = Vertx.vertx(new VertxOptions()
          .setEventLoopPoolSize(threads)
          .setPreferNativeTransport(Net.epoll()));
    }
    return vertx;
  }

  @Override
  public void close() {
    Net.shutdown(group);
    Vertx v;
    synchronized (this) {
      v = vertx;
      vertx = null;
    }
    if (v != null) {
      try {
        v.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) { // a slow close must not cost the figures
        System.out.println("  (closing Vert.x: " + e + ")");
      }
    }
  }
}
