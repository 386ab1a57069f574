package io.redial.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reported a buffer that was never released while
 * it ran. Registered for every test class of the module (META-INF/services, autodetection on).
 */
public final class NoLeaks implements BeforeAllCallback, AfterAllCallback {
  static {
    LeakDetection.install();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    LeakDetection.drain(); // leaks of an earlier class are that class's
  }

  @Override
  public void afterAll(ExtensionContext context) {
    assertThat(LeakDetection.drain())
        .as("reference-counted objects never released during %s", context.getDisplayName())
        .isEmpty();
  }
}
