package io.redial.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.redial.RedialException;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The front of one attempt's brand-new pipeline: the proxy handler (when a proxy is configured)
 * and the TLS handler (when TLS is), and the moment the transport is up — the proxy's tunnel
 * open and the TLS handshake done. With a proxy, TLS is added only once the tunnel is open, so
 * that the TLS handshake runs with the endpoint, each failure is reported by the step that
 * failed, and a proxy's refusal is never reported as a TLS error.
 */
final class PipelineFront {
  private PipelineFront() {}

  /** What the front reports about its attempt; on the event loop. */
  interface Outcome {
    /** The proxy's tunnel is open and TLS is done (whichever are configured). */
    void up();

    /** The proxy or TLS failed; the channel is closing. */
    void failed(RedialException cause);
  }

  /**
   * Adds the handlers {@code config} asks for at the front of {@code p}, a new channel's pipeline.
   * The TLS context supplier is asked here, once per attempt.
   *
   * @param what names the attempt in messages ("connection 'x' generation 3")
   * @return true when {@code outcome} will say when the transport is up; false when nothing was
   *     added and the TCP connect alone means it is up
   * @throws RedialException {@code TLS_CONTEXT_FAILED} when the supplier threw or returned null
   */
  static boolean install(ChannelPipeline p, ConnectionConfig<?> config, Endpoint endpoint,
      String what, Outcome outcome) {
    SslHandler ssl = config.tls() == null
        ? null
        : newSslHandler(config.tls(), config.hostnameVerification(), endpoint, what);
    ProxySettings proxy = config.proxy();
    if (proxy == null) {
      if (ssl == null) {
        return false;
      }
      p.addLast("ssl", ssl);
      watch(ssl, endpoint, what, outcome);
      return true;
    }
    ProxyHandler tunnel = proxy.newHandler();
    p.addLast("proxy", tunnel);
    tunnel.connectFuture().addListener((Future<? super Channel> f) -> {
      if (!f.isSuccess()) {
        outcome.failed(RedialException.wrap(
            what + ": " + proxy + " did not open a tunnel to " + endpoint, f.cause()));
      } else if (ssl == null) {
        outcome.up();
      } else {
        // the tunnel is open: TLS starts now, end to end with the endpoint
        p.addAfter("proxy", "ssl", ssl);
        watch(ssl, endpoint, what, outcome);
      }
    });
    return true;
  }

  private static void watch(SslHandler ssl, Endpoint endpoint, String what, Outcome outcome) {
    ssl.handshakeFuture().addListener((Future<? super Channel> f) -> {
      if (f.isSuccess()) {
        outcome.up();
      } else {
        outcome.failed(RedialException.wrap(
            what + ": TLS handshake with " + endpoint + " failed", f.cause()));
      }
    });
  }

  /**
   * A TLS client handler for one attempt, from a context the supplier gives now: a rotated
   * certificate or trust store is used from the next attempt on. The server name (SNI) is the
   * endpoint's host name, unless it is an IP address literal (RFC 6066 allows only names); the
   * JDK would send none for a name without a dot, such as {@code localhost}.
   */
  static SslHandler newSslHandler(Supplier<SSLContext> contexts, boolean hostnameVerification,
      Endpoint endpoint, String what) {
    SSLContext context;
    try {
      context = contexts.get();
    } catch (RuntimeException e) {
      throw Errors.TLS_CONTEXT_FAILED.exception(
          what + ": the tls(...) supplier threw instead of giving an SSLContext: " + e, e);
    }
    if (context == null) {
      throw Errors.TLS_CONTEXT_FAILED.exception(
          what + ": the tls(...) supplier returned null instead of an SSLContext");
    }
    SSLEngine engine = endpoint.isUnix() ? context.createSSLEngine()
        : context.createSSLEngine(endpoint.host(), endpoint.port());
    engine.setUseClientMode(true);
    SSLParameters params = engine.getSSLParameters();
    if (hostnameVerification) {
      params.setEndpointIdentificationAlgorithm("HTTPS");
    }
    SNIHostName sni = endpoint.isUnix() ? null : serverName(endpoint.host());
    if (sni != null) {
      params.setServerNames(List.of(sni));
    }
    engine.setSSLParameters(params);
    SslHandler handler = new SslHandler(engine);
    handler.setHandshakeTimeoutMillis(0); // bounded by the attempt's connect timer
    return handler;
  }

  /** The SNI name for {@code host}, or null for an address literal or a name SNI cannot carry. */
  static SNIHostName serverName(String host) {
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.isEmpty() || NetUtil.isValidIpV4Address(name) || NetUtil.isValidIpV6Address(name)) {
      return null;
    }
    try {
      return new SNIHostName(name);
    } catch (IllegalArgumentException notAHostName) { // e.g. an underscore: send no SNI
      return null;
    }
  }
}
