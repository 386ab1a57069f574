package io.redial.internal;

import static io.redial.internal.Checks.notNull;

import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.proxy.Socks5ProxyHandler;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * A validated proxy: SOCKS version 5 or HTTP {@code CONNECT}, at a resolved address, with
 * optional credentials. Every attempt gets a brand-new Netty proxy handler from it (the handlers
 * hold per-connection state and are not sharable). The endpoint's host name is sent to the proxy
 * as is and resolved there, from the proxy's network.
 *
 * @param type {@link Proxy.Type#SOCKS} or {@link Proxy.Type#HTTP}
 * @param address the proxy's resolved address
 * @param username null when no credentials are sent
 * @param password null exactly when {@code username} is
 */
public record ProxySettings(Proxy.Type type, InetSocketAddress address, String username,
    String password) {
  /** RFC 1929: user name and password are each at most 255 bytes. */
  private static final int MAX_SOCKS_CREDENTIAL_BYTES = 255;

  /**
   * Checks {@code proxy} and the credentials (both null for none).
   *
   * @throws IllegalArgumentException naming the parameter, the value and what is allowed
   */
  public static ProxySettings of(Proxy proxy, String username, String password) {
    notNull("proxy", proxy);
    if (proxy.type() == Proxy.Type.DIRECT) {
      throw new IllegalArgumentException("proxy must be a SOCKS or HTTP proxy, but was "
          + (proxy == Proxy.NO_PROXY ? "Proxy.NO_PROXY" : proxy) + " (type DIRECT); leave"
          + " proxy(...) out to connect directly");
    }
    if (!(proxy.address() instanceof InetSocketAddress address)) {
      throw new IllegalArgumentException("proxy address must be an InetSocketAddress, but was "
          + proxy.address() + " (" + proxy.address().getClass().getName() + ")");
    }
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("proxy address must be resolved (new"
          + " InetSocketAddress(host, port) resolves it), but " + address.getHostString() + ":"
          + address.getPort() + " is unresolved");
    }
    Checks.range("proxy port", address.getPort(), 1, 65_535);
    if (username == null && password == null) {
      return new ProxySettings(proxy.type(), address, null, null);
    }
    notNull("proxy username", username);
    notNull("proxy password", password);
    if (username.isEmpty()) {
      throw new IllegalArgumentException(
          "proxy username must not be empty; use proxy(proxy) for a proxy without credentials");
    }
    if (proxy.type() == Proxy.Type.SOCKS) {
      socksLength("proxy username", username);
      socksLength("proxy password", password);
    } else if (username.indexOf(':') >= 0) {
      throw new IllegalArgumentException("proxy username must not contain ':' for an HTTP proxy"
          + " (Basic authentication joins user and password with it), but was '" + username
          + "'");
    }
    return new ProxySettings(proxy.type(), address, username, password);
  }

  private static void socksLength(String name, String value) {
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_SOCKS_CREDENTIAL_BYTES) {
      throw new IllegalArgumentException(name + " must be at most " + MAX_SOCKS_CREDENTIAL_BYTES
          + " bytes in UTF-8 for a SOCKS5 proxy (RFC 1929), but was " + bytes + " bytes");
    }
  }

  /**
   * A brand-new handler for one attempt. Its own timeout is off: the attempt's connect timeout
   * bounds the proxy's answer as it bounds TCP and TLS.
   */
  ProxyHandler newHandler() {
    ProxyHandler handler;
    if (type == Proxy.Type.SOCKS) {
      handler = username == null
          ? new Socks5ProxyHandler(address)
          : new Socks5ProxyHandler(address, username, password);
    } else {
      handler = username == null
          ? new HttpProxyHandler(address)
          : new HttpProxyHandler(address, username, password);
    }
    handler.setConnectTimeoutMillis(0);
    return handler;
  }

  /**
   * Where to ask the proxy to connect: the endpoint's address when it was given resolved or is
   * an address literal (sent as an address), else its host name, unresolved, for the proxy to
   * resolve.
   */
  InetSocketAddress destination(Endpoint endpoint) {
    InetSocketAddress a = endpoint.connectAddress();
    if (a.isUnresolved()) {
      byte[] literal = NetUtil.createByteArrayFromIpAddressString(endpoint.host());
      if (literal != null) {
        try {
          return new InetSocketAddress(InetAddress.getByAddress(endpoint.host(), literal),
              endpoint.port());
        } catch (UnknownHostException impossible) { // only for a wrong length
          throw new IllegalStateException(impossible);
        }
      }
    }
    return a;
  }

  /** Names the proxy and its user, never the password. */
  @Override
  public String toString() {
    String kind = type == Proxy.Type.SOCKS ? "SOCKS5" : "HTTP";
    String at = address.getAddress().getHostAddress();
    at = (at.indexOf(':') >= 0 ? "[" + at + "]" : at) + ":" + address.getPort();
    return kind + " proxy " + at + (username == null ? "" : " (user '" + username + "')");
  }
}
