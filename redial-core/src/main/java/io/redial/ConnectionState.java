package io.redial;

/**
 * Where a {@link Connection} is in its life.
 *
 * <pre>
 * IDLE ──connect()──▶ CONNECTING ──up──▶ CONNECTED
 *                      ▲      │ sweep failed    │ lost / heartbeat missed
 *                      │      ▼                 ▼
 *                      └── BACKOFF ◀────────────┘
 * any state ──close() or retry budget spent──▶ CLOSING ──▶ CLOSED (terminal)
 * </pre>
 */
public enum ConnectionState {
  /** Built, never asked to connect. Sends are queued. */
  IDLE,
  /** One attempt is in flight on a brand-new channel. */
  CONNECTING,
  /** A live channel carries frames. */
  CONNECTED,
  /** Waiting before the next attempt; no channel is open. */
  BACKOFF,
  /** Flushing what is queued, then closing the channel. No new sends are accepted. */
  CLOSING,
  /** Terminal: no channel, no timer, no queued frame. */
  CLOSED
}
