package io.redial.internal;

import io.redial.RedialException;

/** What a channel reports to the driver, tagged with its generation; always on the event loop. */
interface ChannelEvents extends WriteBatcher.Sink {
  /** TCP connected, and TLS done when configured. */
  void transportUp(long gen);

  /** The attempt failed before the transport was up. */
  void connectFailed(long gen, RedialException cause);

  /** The channel failed after connecting (reset, decoder error, write failure, …). */
  void channelLost(long gen, RedialException cause);

  /** The channel's close future completed (or it was never created). */
  void channelClosed(long gen);

  /** A message reached the pipeline's tail; the callee owns (and releases) it. */
  void received(long gen, Object msg);

  /** The heartbeat wants a ping written now. */
  void pingDue(long gen);

  /** No message arrived within the heartbeat timeout after the ping. */
  void pingMissed(long gen);

  /** The channel's writability changed. */
  void writabilityChanged(long gen);
}
