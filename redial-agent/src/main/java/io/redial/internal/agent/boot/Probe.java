package io.redial.internal.agent.boot;

/**
 * What the advice woven into JDK socket classes calls, through {@link Hooks}.
 *
 * <p>Loaded by the bootstrap class loader (the agent writes it to a small jar at start-up), so
 * that {@code java.net.Socket} and {@code sun.nio.ch.*} can see it. The implementation lives in
 * the agent jar on the class path. Every method may throw; {@link Hooks} contains that.
 */
public interface Probe {

  /** A channel was constructed (opened); {@code socket} is fully initialised. */
  void opened(int probe, Object socket);

  /**
   * A connect is about to start. Returns a token handed back to {@link #connectEnd}, or null when
   * there is nothing to follow up.
   */
  Object connectStart(int probe, Object socket, Object target);

  /**
   * The connect call returned ({@code connected}: the socket is now connected; false with no
   * {@code thrown}: a non-blocking connect is still pending) or threw {@code thrown}.
   */
  void connectEnd(int probe, Object socket, Object token, boolean connected, Throwable thrown);

  /** A pending connect settled: connected, or (false) it is no longer pending. */
  void settled(int probe, Object socket, boolean connected);

  /** The socket is being closed. */
  void closed(int probe, Object socket);

  /** A probe failed and is now switched off; called once per probe. */
  void internalError(String probe, Throwable error);
}
