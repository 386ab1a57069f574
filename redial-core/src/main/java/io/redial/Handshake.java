package io.redial;

import java.util.concurrent.CompletionStage;

/**
 * Runs on every new channel after TCP (and TLS) connected, before the connection is CONNECTED
 * and before anything queued is written: AUTH and SELECT, a login, a protocol version check,
 * resubscribing. It talks through a {@link Session} bound to that channel only.
 *
 * <pre>{@code
 * .handshake(session -> session.request(auth(password), Duration.ofSeconds(2))
 *     .thenCompose(reply -> {
 *       if (isError(reply)) throw new HandshakeRejectedException("AUTH refused: " + reply);
 *       return session.request(select(3), Duration.ofSeconds(2));
 *     }))
 * }</pre>
 *
 * <p>The connect timeout bounds it. A failure (the stage fails, or {@code perform} throws) is a
 * failed attempt: the channel closes and the connection tries again with a fresh one, after the
 * backoff. {@link HandshakeRejectedException} instead closes the connection for good, so that
 * wrong credentials are not retried forever. It runs on the connection's event loop: do not block.
 *
 * @param <M> the message type
 */
@FunctionalInterface
public interface Handshake<M> {
  /** Starts the handshake; the connection is CONNECTED when the returned stage completes. */
  CompletionStage<?> perform(Session<M> session);
}
