package io.redial.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.Map;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs a test class through the JUnit Platform, to test tests: which methods passed, which failed and why. */
final class Launch {
  private Launch() {}

  /** Every test method's result, by method name. Skipped (aborted) methods are included. */
  static Map<String, TestExecutionResult> run(Class<?> testClass) {
    return run(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build());
  }

  /** One test method's result (it takes no parameters but, possibly, a TestReporter). */
  static TestExecutionResult run(Class<?> testClass, String method) {
    TestExecutionResult r = run(LauncherDiscoveryRequestBuilder.request()
        .selectors(selectMethod(testClass.getName() + "#" + method + "(org.junit.jupiter.api.TestReporter)"))
        .build()).get(method);
    if (r == null) {
      throw new AssertionError("no test method " + method + " in " + testClass);
    }
    return r;
  }

  private static Map<String, TestExecutionResult> run(LauncherDiscoveryRequest request) {
    Map<String, TestExecutionResult> results = new TreeMap<>();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(request, new TestExecutionListener() {
      @Override
      public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
            .ifPresent(m -> results.put(m.getMethodName(), result));
      }
    });
    return results;
  }

  /** The failure, with its causes, as one line per throwable: for assertions on messages. */
  static String describe(TestExecutionResult result) {
    StringBuilder s = new StringBuilder(result.getStatus().toString());
    Throwable t = result.getThrowable().orElse(null);
    for (int i = 0; t != null && i < 10; i++, t = t.getCause()) {
      s.append('\n').append(t);
    }
    return s.toString();
  }
}
