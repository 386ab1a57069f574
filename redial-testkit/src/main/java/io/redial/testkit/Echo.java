package io.redial.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The framing of a {@link RedialTest}'s echo server: on an {@link EchoServer} or {@link FaultProxy}
 * parameter, or on the test class for all its tests. Without it, {@link EchoMode#LENGTH_PREFIXED}.
 */
@Target({ElementType.PARAMETER, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Echo {
  /** The framing. */
  EchoMode value();
}
