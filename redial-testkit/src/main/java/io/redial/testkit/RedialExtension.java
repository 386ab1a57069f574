package io.redial.testkit;

import io.redial.testkit.internal.FileDescriptors;
import io.redial.testkit.internal.LeakCheck;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link RedialTest}; it can also be used alone with
 * {@code @ExtendWith(RedialExtension.class)}. Everything it creates belongs to one test method.
 */
public final class RedialExtension implements ParameterResolver, BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RedialExtension.class);
  private static final String BASELINE = "socketBaseline";
  private static final String ECHO = "echo";
  private static final String PROXY = "proxy";

  /** Creates the extension (JUnit does, through {@link RedialTest}). */
  public RedialExtension() {}

  @Override
  public void beforeEach(ExtensionContext context) {
    if (socketCheckApplies(context).isEmpty()) {
      context.getStore(NS).put(BASELINE, FileDescriptors.sockets());
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return (type == FaultProxy.class || type == EchoServer.class)
        && parameter.getDeclaringExecutable() instanceof Method;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(
          "FaultProxy and EchoServer are per test: ask for them in @Test or @BeforeEach methods, not in "
              + parameter.getDeclaringExecutable());
    }
    EchoMode mode = parameter.findAnnotation(Echo.class).map(Echo::value)
        .or(() -> context.getTestClass().map(c -> c.getAnnotation(Echo.class)).map(Echo::value))
        .orElse(null);
    EchoServer echo = echo(context, mode);
    if (parameter.getParameter().getType() == EchoServer.class) {
      return echo;
    }
    ExtensionContext.Store store = context.getStore(NS);
    FaultProxy proxy = store.get(PROXY, FaultProxy.class);
    if (proxy == null) {
      proxy = FaultProxy.start(echo.address());
      store.put(PROXY, proxy);
    }
    return proxy;
  }

  private static EchoServer echo(ExtensionContext context, EchoMode wanted) {
    ExtensionContext.Store store = context.getStore(NS);
    EchoServer echo = store.get(ECHO, EchoServer.class);
    if (echo == null) {
      echo = EchoServer.start(wanted == null ? EchoMode.LENGTH_PREFIXED : wanted);
      store.put(ECHO, echo);
    } else if (wanted != null && wanted != echo.mode()) {
      throw new ParameterResolutionException("@Echo(" + wanted + ") asked for, but this test's echo server is "
          + echo.mode() + " (one echo server per test; put the same @Echo on every parameter)");
    }
    return echo;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NS);
    FaultProxy proxy = store.remove(PROXY, FaultProxy.class);
    EchoServer echo = store.remove(ECHO, EchoServer.class);
    List<String> problems = new ArrayList<>();
    try {
      problems.addAll(LeakCheck.openConnections(proxy, echo));
    } finally {
      if (proxy != null) {
        proxy.close();
      }
      if (echo != null) {
        echo.close();
      }
    }
    Integer baseline = store.remove(BASELINE, Integer.class);
    Optional<String> skipped = socketCheckApplies(context);
    if (skipped.isPresent()) {
      context.publishReportEntry("redial.socket-check", "skipped: " + skipped.get());
    } else if (baseline != null) {
      String leak = LeakCheck.socketsAbove(baseline);
      if (leak != null) {
        problems.add(leak);
      }
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("@RedialTest: " + String.join("; ", problems));
    }
  }

  /** Empty when the socket count check runs; else why not. */
  private static Optional<String> socketCheckApplies(ExtensionContext context) {
    if (!FileDescriptors.supported()) {
      return Optional.of(FileDescriptors.unsupportedReason());
    }
    boolean parallel = context.getConfigurationParameter("junit.jupiter.execution.parallel.enabled")
        .map(Boolean::parseBoolean).orElse(false);
    if (parallel) {
      return Optional.of("JUnit runs tests in parallel here, so a per-test socket count would mix tests");
    }
    return Optional.empty();
  }
}
