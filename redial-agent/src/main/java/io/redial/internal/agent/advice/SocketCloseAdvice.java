package io.redial.internal.agent.advice;

import io.redial.internal.agent.boot.Hooks;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code java.net.Socket.close()}. */
public final class SocketCloseAdvice {
  private SocketCloseAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object self) {
    Hooks.closed(Hooks.SOCKET_CLOSE, self);
  }
}
