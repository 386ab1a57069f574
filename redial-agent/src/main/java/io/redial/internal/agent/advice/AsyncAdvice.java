package io.redial.internal.agent.advice;

import io.redial.internal.agent.boot.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code sun.nio.ch.UnixAsynchronousSocketChannelImpl}: {@code implConnect} starts
 * a connect, {@code setConnected} marks it done, {@code finishConnect(boolean)} ends a pending one
 * (either way), {@code implClose} closes.
 */
public final class AsyncAdvice {
  private AsyncAdvice() {}

  /** {@code implConnect(SocketAddress, attachment, handler)}. */
  public static final class Connect {
    private Connect() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object self, @Advice.Argument(0) Object target) {
      return Hooks.connectStart(Hooks.ASYNC_CONNECT, self, target);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.This Object self,
        @Advice.Enter Object token,
        @Advice.Thrown Throwable thrown) {
      // Returning normally means "started": the outcome arrives later through setConnected.
      Hooks.connectEnd(Hooks.ASYNC_CONNECT, self, token, false, thrown);
    }
  }

  /** {@code setConnected()}. */
  public static final class Connected {
    private Connected() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object self) {
      Hooks.settled(Hooks.ASYNC_CONNECT, self, true);
    }
  }

  /** {@code finishConnect(boolean)}: the pending connect is over, connected or not. */
  public static final class Finish {
    private Finish() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This Object self) {
      Hooks.settled(Hooks.ASYNC_CONNECT, self, false);
    }
  }

  /** {@code implClose()}. */
  public static final class Close {
    private Close() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object self) {
      Hooks.closed(Hooks.ASYNC_CLOSE, self);
    }
  }
}
