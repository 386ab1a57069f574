/**
 * Redial's test kit: {@link io.redial.testkit.FaultProxy}, {@link io.redial.testkit.EchoServer},
 * the JUnit 5 extension ({@link io.redial.testkit.RedialTest}) and
 * {@link io.redial.testkit.ReconnectContract}. Only {@code io.redial.testkit} is API;
 * {@code io.redial.testkit.internal} may change at any time.
 *
 * <p>The kit does not depend on Redial: it tests any TCP client. JUnit's API is an optional
 * dependency, needed only by the extension and the contract (a JUnit 5 test has it anyway), so
 * that a program that embeds the proxy (the {@code redial} command) carries no test framework.
 */
module io.redial.testkit {
  requires static transitive org.junit.jupiter.api;
  requires io.netty.transport;
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.codec;
  requires org.slf4j;

  exports io.redial.testkit;
  // JUnit runs ReconnectContract's inherited scenarios and RedialExtension reflectively.
  opens io.redial.testkit to org.junit.platform.commons;
}
