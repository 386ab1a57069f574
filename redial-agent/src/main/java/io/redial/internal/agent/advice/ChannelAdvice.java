package io.redial.internal.agent.advice;

import io.redial.internal.agent.boot.Hooks;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code sun.nio.ch.SocketChannelImpl}, the JDK's only {@code SocketChannel}. */
public final class ChannelAdvice {
  private ChannelAdvice() {}

  /** Every constructor: the channel (and its file descriptor) now exists. */
  public static final class Open {
    private Open() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object self) {
      Hooks.opened(Hooks.CHANNEL_OPEN, self);
    }
  }

  /** {@code boolean connect(SocketAddress)}: false means a non-blocking connect is pending. */
  public static final class Connect {
    private Connect() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object self, @Advice.Argument(0) Object target) {
      return Hooks.connectStart(Hooks.CHANNEL_CONNECT, self, target);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.This Object self,
        @Advice.Enter Object token,
        @Advice.Return boolean connected,
        @Advice.Thrown Throwable thrown) {
      Hooks.connectEnd(Hooks.CHANNEL_CONNECT, self, token, thrown == null && connected, thrown);
    }
  }

  /** {@code boolean finishConnect()}: true once connected; a throw ends the pending connect. */
  public static final class FinishConnect {
    private FinishConnect() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.This Object self,
        @Advice.Return boolean connected,
        @Advice.Thrown Throwable thrown) {
      if (thrown != null) {
        Hooks.settled(Hooks.CHANNEL_CONNECT, self, false);
      } else if (connected) {
        Hooks.settled(Hooks.CHANNEL_CONNECT, self, true);
      }
    }
  }

  /** {@code implCloseSelectableChannel()}: runs once, on the first {@code close()}. */
  public static final class Close {
    private Close() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object self) {
      Hooks.closed(Hooks.CHANNEL_CLOSE, self);
    }
  }
}
