package io.redial.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Puts a test class under {@link RedialExtension}: test and {@code @BeforeEach} methods may take a
 * {@link FaultProxy} and an {@link EchoServer} (the proxy fronts the echo server; {@link Echo}
 * picks the framing), both closed after each test; and each test fails if, at its end, a proxied
 * connection, an echo-server connection or a socket it opened is still open.
 *
 * <pre>{@code
 * @RedialTest
 * class MyClientTest {
 *   @Test
 *   void survivesAReset(FaultProxy proxy, @Echo(EchoMode.LINES) EchoServer echo) throws Exception {
 *     try (MyClient client = new MyClient(proxy.listenAddress())) {
 *       client.connect();
 *       proxy.resetAll();
 *       assertThat(client.call("ping")).isEqualTo("ping");
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>The socket check counts {@code /proc/self/fd} and so runs on Linux only, and not when JUnit
 * runs tests in parallel (counts would mix); when skipped, a report entry says why.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RedialExtension.class)
public @interface RedialTest {}
