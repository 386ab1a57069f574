package io.redial.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On an {@link EchoServer} or {@link FaultProxy} parameter of a {@link RedialTest}: the echo
 * server's framing. Without it, {@link EchoMode#LENGTH_PREFIXED}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Echo {
  /** The framing. */
  EchoMode value();
}
