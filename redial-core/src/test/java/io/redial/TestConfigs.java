package io.redial;

import io.redial.internal.ConnectionConfig;

/** The validated configuration a builder makes, for unit tests of the driver's parts. */
public final class TestConfigs {
  private TestConfigs() {}

  public static ConnectionConfig<byte[]> of(ConnectionBuilder builder) {
    return builder.config();
  }

  public static <M> ConnectionConfig<M> of(MessageConnectionBuilder<M> builder) {
    return builder.config();
  }
}
