package io.netty.handler.proxy;

import java.net.ConnectException;

/**
 * A stand-in with the same name and superclass as Netty's, so the errors module's tests prove
 * that it recognises proxy failures by class name and message without depending on Netty.
 */
public class ProxyConnectException extends ConnectException {
  private static final long serialVersionUID = 1L;

  public ProxyConnectException(String message) {
    super(message);
  }
}
