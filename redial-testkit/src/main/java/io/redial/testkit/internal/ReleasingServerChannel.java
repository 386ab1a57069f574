package io.redial.testkit.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.TimeUnit;

/**
 * A server channel whose close can be waited on until the OS no longer listens. Netty's close
 * future completes before that: the JDK closes a channel registered with a selector only when the
 * selector next processes the cancelled key, and until then the kernel still completes handshakes
 * on the port — a "refused" or "stopped" server that lets a connect through.
 */
public final class ReleasingServerChannel extends NioServerSocketChannel {
  private static final int MAX_CHECKS = 5_000;

  /** For Netty's channel factory. */
  public ReleasingServerChannel() {}

  /** Event loop only: the deregistration, and the JDK's close right after it, happen on that thread. */
  private boolean released() {
    return !javaChannel().isOpen() && !javaChannel().isRegistered();
  }

  /** Closes {@code channel} (a ReleasingServerChannel) and completes once its socket is really closed. */
  public static Future<Void> closeAndRelease(Channel channel) {
    ReleasingServerChannel listener = (ReleasingServerChannel) channel;
    EventLoop loop = listener.eventLoop();
    Promise<Void> released = loop.newPromise();
    listener.close().addListener(f -> check(listener, loop, released, 0));
    return released;
  }

  private static void check(ReleasingServerChannel listener, EventLoop loop, Promise<Void> released, int checks) {
    if (listener.released()) {
      released.setSuccess(null);
    } else if (checks >= MAX_CHECKS) {
      released.setFailure(new IllegalStateException("the listening socket was not released within "
          + MAX_CHECKS + " ms"));
    } else {
      // Each scheduled check also wakes the selector, which is what processes the cancelled key.
      loop.schedule(() -> check(listener, loop, released, checks + 1), 1, TimeUnit.MILLISECONDS);
    }
  }
}
