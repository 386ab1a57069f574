package io.redial;

import static io.redial.internal.Checks.notNull;
import static io.redial.internal.Checks.positive;

import java.time.Duration;

/**
 * An application heartbeat that catches half-open connections.
 *
 * <p>After {@code interval} with no inbound frame, the ping frame is sent; when no frame at all
 * arrives within {@code timeout} after it, the connection emits
 * {@link ConnectionEvent.HeartbeatMissed}, closes the channel and reconnects. Any inbound frame
 * counts as life, so the peer only has to answer the ping with some frame. Replies reach
 * {@code onMessage} like any other frame.
 *
 * <p>Why not TCP keepalive alone: Linux keeps retransmitting into a dead peer for about 15
 * minutes ({@code tcp_retries2}) and keepalive does not fire while data is unacknowledged.
 */
public final class Heartbeat {
  private final Duration interval;
  private final Duration timeout;
  private final byte[] ping;

  private Heartbeat(Duration interval, Duration timeout, byte[] ping) {
    this.interval = interval;
    this.timeout = timeout;
    this.ping = ping;
  }

  /**
   * @param interval how long with nothing read before a ping is sent (positive)
   * @param timeout how long to wait for any frame after the ping (positive)
   * @param pingFrame the frame to send; copied
   */
  public static Heartbeat every(Duration interval, Duration timeout, byte[] pingFrame) {
    positive("interval", interval);
    positive("timeout", timeout);
    notNull("pingFrame", pingFrame);
    return new Heartbeat(interval, timeout, pingFrame.clone());
  }

  public Duration interval() {
    return interval;
  }

  public Duration timeout() {
    return timeout;
  }

  /** A copy of the ping frame. */
  public byte[] pingFrame() {
    return ping.clone();
  }

  @Override
  public String toString() {
    return "Heartbeat.every(" + interval + ", " + timeout + ", " + ping.length + " bytes)";
  }
}
