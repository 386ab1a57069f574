package io.netty.handler.proxy;

/** A stand-in for Netty's class of the same name: only its nested exception is needed. */
public final class HttpProxyHandler {
  private HttpProxyHandler() {}

  /** Like Netty's: the HTTP proxy answered CONNECT with a status other than 200. */
  public static final class HttpProxyConnectException extends ProxyConnectException {
    private static final long serialVersionUID = 1L;

    public HttpProxyConnectException(String message) {
      super(message);
    }
  }
}
