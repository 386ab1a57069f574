package io.redial;

/**
 * Entry point: {@code Redial.connection("name").endpoint(host, port).build()} for {@code byte[]}
 * frames, {@code Redial.connection("name", codec)} for typed messages.
 */
public final class Redial {
  private Redial() {}

  /**
   * Starts configuring a managed connection.
   *
   * @param name shows up in every log line and event of the connection
   */
  public static ConnectionBuilder connection(String name) {
    return new ConnectionBuilder(name);
  }

  /**
   * Starts configuring a managed connection of typed messages.
   *
   * @param name shows up in every log line and event of the connection
   * @param codec how messages are encoded and decoded: {@link Codec#netty} or a {@link Framing}
   */
  public static <M> MessageConnectionBuilder<M> connection(String name, Codec<M> codec) {
    return new MessageConnectionBuilder<>(name, io.redial.internal.Checks.notNull("codec", codec));
  }
}
