package io.redial;

import io.redial.errors.SocketError;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** Something that happened to a connection. Delivered to {@link ConnectionListener}s. */
public sealed interface ConnectionEvent
    permits ConnectionEvent.StateChanged,
        ConnectionEvent.AttemptStarted,
        ConnectionEvent.AttemptFailed,
        ConnectionEvent.HeartbeatMissed {

  /** The connection's name. */
  String connection();

  /**
   * The connection moved from one state to another.
   *
   * @param generation the generation of the channel concerned (0 before the first attempt)
   * @param cause why, when the change was caused by a failure or by {@code close()}; else null
   */
  record StateChanged(
      String connection,
      ConnectionState from,
      ConnectionState to,
      long generation,
      RedialException cause)
      implements ConnectionEvent {
    public StateChanged {
      Objects.requireNonNull(connection, "connection");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }

    /** The cause, when there is one. */
    public Optional<RedialException> failure() {
      return Optional.ofNullable(cause);
    }
  }

  /**
   * A brand-new channel was created to connect to {@code endpoint}.
   *
   * @param attempt the attempt's number since the last successful connect (1-based)
   * @param endpoint {@code host:port} as configured
   * @param generation the new channel's generation
   */
  record AttemptStarted(String connection, int attempt, String endpoint, long generation)
      implements ConnectionEvent {}

  /**
   * An attempt failed.
   *
   * @param attempt the attempt's number since the last successful connect (1-based)
   * @param endpoint {@code host:port} as configured
   * @param error what went wrong, explained by the catalog
   * @param nextDelay how long until the next attempt: zero when the next endpoint is tried at
   *     once, empty when there is no next attempt (the retry budget is spent)
   */
  record AttemptFailed(
      String connection,
      int attempt,
      String endpoint,
      RedialException error,
      Optional<Duration> nextDelay)
      implements ConnectionEvent {
    public AttemptFailed {
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(nextDelay, "nextDelay");
    }

    /** The catalog entry of the failure. */
    public SocketError socketError() {
      return error.error();
    }
  }

  /** Nothing came back within the heartbeat timeout: the channel is closed and replaced. */
  record HeartbeatMissed(String connection, long generation) implements ConnectionEvent {}
}
