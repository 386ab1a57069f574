package io.redial.internal;

import io.netty.channel.Channel;
import io.redial.ConnectionEvent;
import io.redial.ConnectionListener;
import io.redial.ConnectionState;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's logging policy and its listeners. One WARN per outage, not one per attempt: the
 * first failed attempt after a connect is a WARN, the rest DEBUG until the next connect; state
 * changes at INFO; a throwing listener is logged and never stops the others. Event loop only.
 */
final class EventLog {
  private static final Logger log = LoggerFactory.getLogger(io.redial.Connection.class);

  private final ConnectionConfig<?> config;
  private final Ticker ticker;
  /** Failed attempts since the last connect. */
  private int failureStreak;
  private long attemptStartNanos;
  private long connectedAtNanos;
  private long handlerFailures;

  EventLog(ConnectionConfig<?> config, Ticker ticker) {
    this.config = config;
    this.ticker = ticker;
  }

  static Logger logger() {
    return log;
  }

  void attemptStarted(long gen, String endpoint, int attempt) {
    attemptStartNanos = ticker.nanoTime();
    log.debug("[{}] gen={} connect -> {} (attempt {})", config.name(), gen, endpoint, attempt);
  }

  void closing(long gen, Object cause) {
    log.debug("[{}] gen={} close: {}", config.name(), gen, cause == null ? "requested" : cause);
  }

  /** Logs {@code event}, then hands it to every listener. {@code channel}: the live one, or null. */
  void emit(ConnectionEvent event, Channel channel, Object heartbeatTimeout) {
    if (event instanceof ConnectionEvent.StateChanged sc) {
      stateChanged(sc, channel);
    } else if (event instanceof ConnectionEvent.AttemptFailed af) {
      failureStreak++;
      String next = af.nextDelay().map(d -> "next attempt in " + d.toMillis() + " ms")
          .orElse("no further attempt");
      long tookMs = TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - attemptStartNanos);
      if (failureStreak == 1) {
        log.warn("[{}] attempt {} to {} failed after {} ms: {}; {} (more failures at DEBUG until"
            + " connected)", config.name(), af.attempt(), af.endpoint(), tookMs,
            af.error().getMessage(), next);
      } else {
        log.debug("[{}] attempt {} to {} failed after {} ms: {}; {}", config.name(), af.attempt(),
            af.endpoint(), tookMs, af.error().getMessage(), next);
      }
    } else if (event instanceof ConnectionEvent.HeartbeatMissed hm) {
      log.warn("[{}] gen={} heartbeat missed: no message within {} after the ping; replacing the"
          + " channel", config.name(), hm.generation(), heartbeatTimeout);
    }
    for (ConnectionListener listener : config.listeners()) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("[{}] listener {} threw on {}", config.name(), listener, event, e);
      }
    }
  }

  private void stateChanged(ConnectionEvent.StateChanged sc, Channel channel) {
    if (sc.to() == ConnectionState.CONNECTED) {
      connectedAtNanos = ticker.nanoTime();
      log.info("[{}] gen={} connected {} -> {} in {} ms{}", config.name(), sc.generation(),
          channel == null ? null : channel.localAddress(),
          channel == null ? null : channel.remoteAddress(),
          TimeUnit.NANOSECONDS.toMillis(connectedAtNanos - attemptStartNanos),
          failureStreak > 0 ? " after " + failureStreak + " failed attempts" : "");
      failureStreak = 0;
    } else if (sc.from() == ConnectionState.CONNECTED && sc.to() != ConnectionState.CLOSING) {
      log.warn("[{}] gen={} {} after {} ms up: {}", config.name(), sc.generation(),
          sc.to() == ConnectionState.CONNECTING ? "replaced" : "lost",
          TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - connectedAtNanos),
          sc.cause() == null ? "closed" : sc.cause().getMessage());
    }
  }

  /** An application callback (onMessage, a reply key) threw: log the first and every 1000th. */
  void callbackFailed(long gen, String what, Throwable e) {
    handlerFailures++;
    if (handlerFailures == 1 || handlerFailures % 1000 == 0) {
      log.warn("[{}] gen={} {} threw ({} so far); the connection goes on", config.name(), gen,
          what, handlerFailures, e);
    }
  }

  void closed(long attempts, long connects, long sent, int failed, Object cause) {
    log.info("[{}] closed after {} attempts, {} connects; {} messages sent, {} unsent messages"
        + " failed: {}", config.name(), attempts, connects, sent, failed,
        cause == null ? "closed" : cause);
  }
}
