package io.redial.testkit;

import java.time.Duration;
import java.util.List;

/**
 * Your client, as {@link ReconnectContract} drives it. Frames are payloads: the adapter frames them
 * the way {@link ReconnectContract#framing()} says the echo server expects (for
 * {@link EchoMode#LINES}, append {@code \n} on send and strip it on receive).
 *
 * <p>The contract expects a self-healing client: after the first {@link #connect()}, it reconnects
 * on its own (with a backoff) whenever the connection is lost, until {@link #close()}.
 */
@SuppressWarnings("try") // close() throws Exception on purpose: adapters wrap any client
public interface ClientAdapter extends AutoCloseable {

  /**
   * Asks the client to be connected. May return at once (the contract then waits for
   * {@link #isConnected()}) or block until connected. Must be idempotent: while connecting or
   * connected it must neither open a second connection nor throw — that is the scenario where a
   * reused socket fails with {@code AlreadyConnectedException}, {@code EISCONN} or {@code WSAEISCONN}.
   */
  void connect() throws Exception;

  /** Whether the client believes it has a usable connection right now. */
  boolean isConnected();

  /** Sends one frame with this payload; may throw while disconnected. */
  void send(byte[] payload) throws Exception;

  /** The payload of the next frame received, or {@code null} if none arrives within {@code timeout}. */
  byte[] receive(Duration timeout) throws Exception;

  /**
   * How long, at most, the client takes to notice that its connection passes nothing any more
   * (a heartbeat timeout, typically), after which {@link #isConnected()} must be false. Zero (the
   * default) means the client does not detect it, and the blackhole scenario is skipped.
   */
  default Duration blackholeDetectionBound() {
    return Duration.ZERO;
  }

  /**
   * How many connection attempts the client has started so far, or {@code -1} (the default) if it
   * cannot tell; with it, the contract checks that retries back off while the server refuses.
   */
  default long connectAttempts() {
    return -1;
  }

  /**
   * The delays the client itself planned before its retries so far, oldest first (Redial reports
   * each in {@code ConnectionEvent.AttemptFailed.nextDelay()}), or an empty list (the default) if
   * it cannot tell; with them, the contract checks that the delays grow while the server refuses.
   * Judged from the client's own plan, not from when attempts were seen, so that the check holds
   * on a loaded machine. Called from the test thread: return a snapshot.
   */
  default List<Duration> plannedRetryDelays() {
    return List.of();
  }

  /** Closes the client and every socket it holds, also while a connect is in progress. */
  @Override
  void close() throws Exception;
}
