package io.redial.internal.agent.advice;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.redial.internal.agent.boot.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into Netty's epoll channels ({@code io.netty.channel.epoll.AbstractEpollChannel} and
 * its {@code AbstractEpollUnsafe}), which never reach a JDK socket class. The connect is judged
 * where Netty's own checks are (the unsafe's {@code connect}), so a connect on a closed channel
 * or while one is pending is seen before Netty fails the promise. The Netty types used here
 * resolve in the instrumented class's own loader; the agent does not carry Netty.
 */
public final class NativeAdvice {
  private NativeAdvice() {}

  /** The channel's constructors: its socket (and descriptor) now exists. */
  public static final class Open {
    private Open() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object self) {
      Hooks.opened(Hooks.NATIVE_OPEN, self);
    }
  }

  /** {@code AbstractEpollUnsafe.connect(remote, local, promise)}. */
  public static final class Connect {
    private Connect() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.FieldValue("this$0") Object channel,
        @Advice.Argument(0) Object target) {
      return Hooks.connectStart(Hooks.NATIVE_CONNECT, channel, target);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.FieldValue("this$0") Object channel,
        @Advice.Enter Object token,
        @Advice.Argument(2) ChannelPromise promise,
        @Advice.Thrown Throwable thrown) {
      // Netty fails the promise instead of throwing: a failed promise is a failed connect;
      // neither active nor failed means the connect is pending (settled by Fulfilled below).
      Throwable failed = thrown != null ? thrown : promise.cause();
      Hooks.connectEnd(Hooks.NATIVE_CONNECT, channel, token,
          failed == null && ((Channel) channel).isActive(), failed);
    }
  }

  /** {@code fulfillConnectPromise(promise, boolean wasActive)}: connected. */
  public static final class Connected {
    private Connected() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("this$0") Object channel) {
      Hooks.settled(Hooks.NATIVE_CONNECT, channel, true);
    }
  }

  /** {@code fulfillConnectPromise(promise, Throwable cause)}: the pending connect failed. */
  public static final class Failed {
    private Failed() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("this$0") Object channel) {
      Hooks.settled(Hooks.NATIVE_CONNECT, channel, false);
    }
  }

  /** {@code doClose()}. */
  public static final class Close {
    private Close() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object self) {
      Hooks.closed(Hooks.NATIVE_CLOSE, self);
    }
  }
}
