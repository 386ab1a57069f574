package io.redial;

/** Entry point: {@code Redial.connection("name").endpoint(host, port).build()}. */
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
}
