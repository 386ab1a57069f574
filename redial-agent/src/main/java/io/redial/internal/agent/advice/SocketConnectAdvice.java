package io.redial.internal.agent.advice;

import io.redial.internal.agent.boot.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code java.net.Socket.connect(SocketAddress, int)} (which the one-argument
 * overload and the connecting constructors call) and {@code SocketChannelImpl.blockingConnect}
 * (what the channel's socket adaptor calls): a blocking connect that either connects or throws.
 */
public final class SocketConnectAdvice {
  private SocketConnectAdvice() {}

  /** Socket flavour. */
  public static final class OnSocket {
    private OnSocket() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object self, @Advice.Argument(0) Object target) {
      return Hooks.connectStart(Hooks.SOCKET_CONNECT, self, target);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.This Object self,
        @Advice.Enter Object token,
        @Advice.Thrown Throwable thrown) {
      Hooks.connectEnd(Hooks.SOCKET_CONNECT, self, token, thrown == null, thrown);
    }
  }

  /** {@code SocketChannelImpl.blockingConnect(SocketAddress, long)}. */
  public static final class OnChannel {
    private OnChannel() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object self, @Advice.Argument(0) Object target) {
      return Hooks.connectStart(Hooks.CHANNEL_CONNECT, self, target);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.This Object self,
        @Advice.Enter Object token,
        @Advice.Thrown Throwable thrown) {
      Hooks.connectEnd(Hooks.CHANNEL_CONNECT, self, token, thrown == null, thrown);
    }
  }
}
