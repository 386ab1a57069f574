package io.redial;

import static io.redial.internal.Checks.notNull;
import static io.redial.internal.Checks.positive;

import java.time.Duration;
import java.util.function.Supplier;

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
  private final byte[] ping; // null when pings come from pingMessages
  private final Supplier<?> pingMessages; // null when the ping is a frame

  private Heartbeat(Duration interval, Duration timeout, byte[] ping, Supplier<?> pingMessages) {
    this.interval = interval;
    this.timeout = timeout;
    this.ping = ping;
    this.pingMessages = pingMessages;
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
    return new Heartbeat(interval, timeout, pingFrame.clone(), null);
  }

  /**
   * A heartbeat for a typed connection ({@link Codec#netty}): each ping is a fresh message from
   * {@code pingMessage}, of the connection's message type. On a connection with a
   * {@link Correlation}, the ping is sent as a request, so its reply is consumed in its own slot
   * (never taken as another request's reply, never handed to {@code onMessage}).
   *
   * @param interval how long with nothing read before a ping is sent (positive)
   * @param timeout how long to wait for any message after the ping (positive)
   * @param pingMessage makes one ping message; called on the event loop for every ping
   */
  public static Heartbeat of(Duration interval, Duration timeout, Supplier<?> pingMessage) {
    positive("interval", interval);
    positive("timeout", timeout);
    notNull("pingMessage", pingMessage);
    return new Heartbeat(interval, timeout, null, pingMessage);
  }

  public Duration interval() {
    return interval;
  }

  public Duration timeout() {
    return timeout;
  }

  /** A copy of the ping frame; empty when pings are messages from a supplier. */
  public byte[] pingFrame() {
    return ping == null ? new byte[0] : ping.clone();
  }

  /** True when pings are messages made by a supplier rather than a frame. */
  public boolean pingsAreMessages() {
    return pingMessages != null;
  }

  /** The supplier of ping messages; null when the ping is a frame. */
  Supplier<?> pingMessages() {
    return pingMessages;
  }

  @Override
  public String toString() {
    return "Heartbeat.every(" + interval + ", " + timeout + ", "
        + (ping == null ? "messages" : ping.length + " bytes") + ")";
  }
}
