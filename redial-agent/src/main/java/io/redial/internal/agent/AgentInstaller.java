package io.redial.internal.agent;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redial.internal.agent.advice.AsyncAdvice;
import io.redial.internal.agent.advice.ChannelAdvice;
import io.redial.internal.agent.advice.NativeAdvice;
import io.redial.internal.agent.advice.SocketCloseAdvice;
import io.redial.internal.agent.advice.SocketConnectAdvice;
import io.redial.internal.agent.boot.Hooks;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/** Wires the tracker to the JDK: reporter, hooks, shutdown summary, and the woven advice. */
final class AgentInstaller {
  private static final String[] TARGETS = {
    "java.net.Socket", "sun.nio.ch.SocketChannelImpl", "sun.nio.ch.UnixAsynchronousSocketChannelImpl"
  };

  /**
   * Whether the advice is in the JDK classes already. A second attach after a watch ended (the
   * class stays loaded by the system class loader) installs a new tracker but weaves nothing
   * again: two copies of the advice would each see the other's connect as pending.
   */
  private static final AtomicBoolean WOVEN = new AtomicBoolean();

  /** The tracker installed now, for {@code redial sockets}; null when none is active. */
  private static volatile Tracker active;

  private AgentInstaller() {}

  /**
   * {@code redial sockets}: writes the active tracker's socket table to {@code path} (or one
   * line saying no agent is active) and changes nothing else.
   */
  static void writeSocketTable(Path path) throws IOException {
    Tracker t = active;
    java.util.List<String> lines = t == null ? java.util.List.of("inactive") : t.socketTable();
    java.nio.file.Files.write(path, lines, StandardCharsets.UTF_8);
  }

  static void install(Instrumentation inst, AgentOptions options, PrintStream err,
      boolean attached) {
    Reporter main = reporter(options, err);
    PrintStream teeStream = options.tee().map(p -> open(p, err)).orElse(null);
    TeeReporter reporter = new TeeReporter(main,
        teeStream == null ? null : new TextReporter(lockedWriter(teeStream)));
    Tracker tracker = new Tracker(options, reporter, Clock.systemUTC(), attached);
    if (!Hooks.install(tracker)) {
      String note = TextReporter.PREFIX + "already active in this JVM; the second copy stays off";
      err.println(note);
      if (teeStream != null) {
        teeStream.println(note);
        teeStream.println(TextReporter.PREFIX + WATCH_OVER);
        teeStream.close();
      }
      return;
    }

    active = tracker;
    tracker.startLeakWatcher();
    Runtime.getRuntime().addShutdownHook(new Thread(tracker::shutdown, "redial-agent-summary"));
    if (options.watchMillis() > 0) {
      Thread t = new Thread(() -> endWatchAfter(tracker, reporter, teeStream,
          options.watchMillis()), "redial-agent-watch");
      t.setDaemon(true);
      t.start();
    }
    if (teeStream != null) {
      teeStream.println(TextReporter.PREFIX + "active in " + ProcessHandle.current().pid()
          + (options.watchMillis() > 0 ? " for " + options.watchMillis() + " ms" : "")
          + "; sockets older than the agent are judged by their state when first seen");
      teeStream.flush();
    }
    if (!WOVEN.compareAndSet(false, true)) {
      return;
    }

    // Load the targets first: loaded now, they are retransformed in one batch. Loaded later as a
    // side effect of Byte Buddy inspecting another target (SocketChannelImpl has a Socket field),
    // they would slip past the transformer, which ignores loads it causes itself.
    for (String target : TARGETS) {
      try {
        Class.forName(target, false, null);
      } catch (ClassNotFoundException | LinkageError e) {
        // Not on this platform (e.g. the Unix async channel on Windows): nothing to watch there.
      }
    }
    agentBuilder()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(new Failures(tracker))
        .with(Boolean.getBoolean("redial.agent.debug")
            ? AgentBuilder.Listener.StreamWriting.toSystemError()
            : AgentBuilder.Listener.NoOp.INSTANCE)
        .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE)
        .ignore(none())
        .type(named("java.net.Socket"))
        .transform(advice(SocketConnectAdvice.OnSocket.class,
            named("connect").and(takesArguments(2)).and(takesArgument(0, SocketAddress.class))))
        .transform(advice(SocketCloseAdvice.class, named("close").and(takesArguments(0))))
        .type(named("sun.nio.ch.SocketChannelImpl"))
        .transform(advice(ChannelAdvice.Open.class, isConstructor()))
        .transform(advice(ChannelAdvice.Connect.class,
            named("connect").and(takesArguments(1)).and(takesArgument(0, SocketAddress.class))))
        .transform(advice(SocketConnectAdvice.OnChannel.class,
            named("blockingConnect").and(takesArguments(2))))
        .transform(advice(ChannelAdvice.FinishConnect.class,
            named("finishConnect").and(takesArguments(0))))
        .transform(advice(ChannelAdvice.Close.class,
            named("implCloseSelectableChannel").and(takesArguments(0))))
        .type(named("sun.nio.ch.UnixAsynchronousSocketChannelImpl"))
        .transform(advice(AsyncAdvice.Connect.class, named("implConnect").and(takesArguments(3))))
        .transform(advice(AsyncAdvice.Connected.class,
            named("setConnected").and(takesArguments(0))))
        .transform(advice(AsyncAdvice.Finish.class,
            named("finishConnect").and(takesArguments(1))))
        .transform(advice(AsyncAdvice.Close.class, named("implClose").and(takesArguments(0))))
        // Netty's epoll transport, when the application has it (loaded by its own loader).
        .type(named("io.netty.channel.epoll.AbstractEpollChannel"))
        .transform(advice(NativeAdvice.Open.class, isConstructor()))
        .transform(advice(NativeAdvice.Close.class, named("doClose").and(takesArguments(0))))
        .type(named("io.netty.channel.epoll.AbstractEpollChannel$AbstractEpollUnsafe"))
        .transform(advice(NativeAdvice.Connect.class,
            named("connect").and(takesArguments(3)).and(takesArgument(0, SocketAddress.class))))
        .transform(advice(NativeAdvice.Connected.class, named("fulfillConnectPromise")
            .and(takesArguments(2)).and(takesArgument(1, boolean.class))))
        .transform(advice(NativeAdvice.Failed.class, named("fulfillConnectPromise")
            .and(takesArguments(2)).and(takesArgument(1, Throwable.class))))
        .installOn(inst);
  }

  /** The last line a watch writes to the tee: {@code redial attach} stops reading there. */
  static final String WATCH_OVER = "watch over; the agent is inert now";

  /** Sleeps through the watch, then prints the summary and turns the agent off. */
  private static void endWatchAfter(Tracker tracker, TeeReporter reporter, PrintStream tee,
      long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tracker.endWatch();
    active = null;
    reporter.stop();
    if (tee != null) {
      synchronized (tee) {
        tee.println(TextReporter.PREFIX + WATCH_OVER);
        tee.flush();
      }
      tee.close();
    }
  }

  private static PrintStream open(Path path, PrintStream err) {
    try {
      return new PrintStream(new FileOutputStream(path.toFile(), true), true,
          StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      err.println(TextReporter.PREFIX + "cannot write tee=file:" + path + " (" + e + ")");
      return null;
    }
  }

  /**
   * A builder that does not inject Byte Buddy's "Nexus" helper into the application's class
   * loader (that injection also touches {@code sun.misc.Unsafe}, which JDK 24+ warns about). The
   * agent adds no types, so it never needs the Nexus. The switch is a system property read once;
   * it is restored at once so the application sees its properties unchanged. (The shade plugin
   * relocates the property name together with Byte Buddy.)
   */
  private static AgentBuilder agentBuilder() {
    String key = "net.bytebuddy.nexus.disabled";
    String old = System.getProperty(key);
    System.setProperty(key, "true");
    try {
      return new AgentBuilder.Default();
    } finally {
      if (old == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, old);
      }
    }
  }

  private static AgentBuilder.Transformer advice(
      Class<?> adviceClass, ElementMatcher<? super MethodDescription> methods) {
    return (DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
        JavaModule module, java.security.ProtectionDomain domain) ->
        builder.visit(Advice.to(adviceClass).on(methods));
  }

  private static Reporter reporter(AgentOptions options, PrintStream err) {
    if (options.reportFile().isEmpty()) {
      return new TextReporter(lockedWriter(err));
    }
    Path path = options.reportFile().get();
    try {
      OutputStream file = new FileOutputStream(path.toFile(), true);
      return new JsonLinesReporter(lockedWriter(new PrintStream(file, true,
          StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      err.println(TextReporter.PREFIX + "cannot write report=file:" + path + " (" + e
          + "); reporting on stderr instead");
      return new TextReporter(lockedWriter(err));
    }
  }

  /** Whole blocks, one at a time, flushed: reports from many threads never interleave. */
  private static Consumer<String> lockedWriter(PrintStream out) {
    return text -> {
      synchronized (out) {
        out.print(text);
        out.flush();
      }
    };
  }

  /** Reports a type the agent failed to instrument, once per type; the host runs on. */
  private static final class Failures extends AgentBuilder.Listener.Adapter {
    private final Tracker tracker;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    Failures(Tracker tracker) {
      this.tracker = tracker;
    }

    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module,
        boolean loaded, Throwable throwable) {
      if (seen.add(typeName)) {
        tracker.agentError("instrumenting " + typeName, throwable);
      }
    }
  }
}
