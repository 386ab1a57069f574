/**
 * Redial's test kit: {@link io.redial.testkit.FaultProxy}, the JUnit 5 extension
 * ({@link io.redial.testkit.RedialTest}) and {@link io.redial.testkit.ReconnectContract}.
 * Only {@code io.redial.testkit} is API; {@code io.redial.testkit.internal} may change at any time.
 */
module io.redial.testkit {
  requires transitive org.junit.jupiter.api;
  requires io.netty.transport;
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.codec;
  requires org.slf4j;
  requires awaitility;
  // Compile-time only, and only for the project's own test that runs Redial's Connection through
  // ReconnectContract (tests are compiled into this module); the kit itself never uses core classes.
  requires static io.redial;

  exports io.redial.testkit;
  // JUnit runs ReconnectContract's inherited scenarios and RedialExtension reflectively.
  opens io.redial.testkit to org.junit.platform.commons;
}
