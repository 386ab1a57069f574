package io.netty.channel;

import java.net.ConnectException;

/**
 * A stand-in with the same name and superclass as Netty's, so the errors module's tests prove
 * that it recognises Netty exceptions by class name without depending on Netty.
 */
public class ConnectTimeoutException extends ConnectException {
  private static final long serialVersionUID = 1L;

  public ConnectTimeoutException(String message) {
    super(message);
  }
}
