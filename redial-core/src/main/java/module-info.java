/**
 * Redial: a managed TCP client connection that heals itself and can never be connected twice.
 *
 * <p>Only {@code io.redial} is API; {@code io.redial.internal} may change without notice.
 */
module io.redial {
  requires transitive io.redial.errors;
  requires org.slf4j;
  requires io.netty.common;
  requires io.netty.buffer;
  requires transitive io.netty.transport;
  requires io.netty.handler;
  requires io.netty.codec;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.unix.common;
  requires io.netty.handler.proxy;
  requires jdk.net;
  requires jdk.jfr;
  requires java.management;
  requires transitive io.netty.resolver;
  requires io.netty.resolver.dns;

  exports io.redial;
}
