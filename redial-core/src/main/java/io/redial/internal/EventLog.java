package io.redial.internal;

import io.netty.channel.Channel;
import io.redial.ConnectionEvent;
import io.redial.ConnectionListener;
import io.redial.ConnectionState;
import io.redial.RedialException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A connection's logging policy, its flight-recorder events and its listeners. One WARN per
 * outage, not one per attempt: the first failed attempt after a connect is a WARN, the rest DEBUG
 * until the next connect; state changes at INFO; a throwing listener is logged and never stops the
 * others. Every lifecycle line carries SLF4J 2 key-value pairs ({@code connection},
 * {@code generation}, {@code endpoint}, {@code attempt}, and {@code catalogEntry} when there is a
 * cause), so a JSON encoder gets fields; the message text is the same as without them. Every
 * lifecycle step is also a JFR event ({@link FlightEvents}). Event loop only.
 */
final class EventLog {
  private static final Logger log = LoggerFactory.getLogger(io.redial.Connection.class);
  private static final ConnectionListener[] NONE = new ConnectionListener[0];

  private final ConnectionConfig<?> config;
  private final Ticker ticker;
  /** Failed attempts since the last connect. */
  private int failureStreak;
  private long attemptStartNanos;
  private long connectedAtNanos;
  private long handlerFailures;
  /**
   * The newest attempt's target and number; null/0 before the first. The target, not its label:
   * the label is built only for a line that is logged (see the footprint benchmark).
   */
  private Sweep.Target endpoint;
  private int attempt;
  private long generation;
  /** The newest attempt's flight-recorder event while it runs; null otherwise or unrecorded. */
  private FlightEvents.ConnectAttempt attemptEvent;
  /** Listeners added after build ({@link #addListener}); copied on write, rarely. */
  private ConnectionListener[] added = NONE;

  EventLog(ConnectionConfig<?> config, Ticker ticker) {
    this.config = config;
    this.ticker = ticker;
  }

  static Logger logger() {
    return log;
  }

  /** Adds a listener after the connection was built (event loop). */
  void addListener(ConnectionListener listener) {
    ConnectionListener[] more = Arrays.copyOf(added, added.length + 1);
    more[added.length] = listener;
    added = more;
  }

  /**
   * A lifecycle log line at {@code level} with the connection's fields; {@code gen} is the
   * generation concerned. Nothing is built when the level is off.
   */
  private LoggingEventBuilder at(Level level, long gen) {
    LoggingEventBuilder b = log.atLevel(level);
    if (!log.isEnabledForLevel(level)) {
      return b; // a no-op builder: no field is worth adding
    }
    b.addKeyValue("connection", config.name()).addKeyValue("generation", gen);
    if (endpoint != null) {
      b.addKeyValue("endpoint", endpoint.label()).addKeyValue("attempt", attempt);
    }
    return b;
  }

  private static LoggingEventBuilder cause(LoggingEventBuilder b, RedialException cause) {
    return cause == null ? b : b.addKeyValue("catalogEntry", cause.error().name());
  }

  void attemptStarted(long gen, Sweep.Target endpoint, int attempt) {
    attemptStartNanos = ticker.nanoTime();
    this.endpoint = endpoint;
    this.attempt = attempt;
    this.generation = gen;
    FlightEvents.attemptEnded(attemptEvent, "abandoned", null); // never left open
    attemptEvent = FlightEvents.attemptStarted(config.name(), endpoint, gen, attempt);
    at(Level.DEBUG, gen).log("[{}] gen={} connect -> {} (attempt {})", config.name(), gen,
        endpoint, attempt);
  }

  void closing(long gen, Object cause) {
    at(Level.DEBUG, gen).log("[{}] gen={} close: {}", config.name(), gen,
        cause == null ? "requested" : cause);
  }

  /** Logs {@code event}, then hands it to every listener. {@code channel}: the live one, or null. */
  void emit(ConnectionEvent event, Channel channel, Object heartbeatTimeout) {
    if (event instanceof ConnectionEvent.StateChanged sc) {
      stateChanged(sc, channel);
    } else if (event instanceof ConnectionEvent.AttemptFailed af) {
      attemptFailed(af);
    } else if (event instanceof ConnectionEvent.HeartbeatMissed hm) {
      FlightEvents.heartbeatMissed(config.name(), hm.generation(),
          heartbeatTimeout instanceof Duration d ? d : null);
      at(Level.WARN, hm.generation()).log("[{}] gen={} heartbeat missed: no message within {}"
          + " after the ping; replacing the channel", config.name(), hm.generation(),
          heartbeatTimeout);
    }
    notify(event, config.listeners());
    if (added.length > 0) {
      notify(event, Arrays.asList(added));
    }
  }

  private void notify(ConnectionEvent event, Iterable<ConnectionListener> listeners) {
    for (ConnectionListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        log.atWarn().addKeyValue("connection", config.name()).setCause(e)
            .log("[{}] listener {} threw on {}", config.name(), listener, event);
      }
    }
  }

  private void attemptFailed(ConnectionEvent.AttemptFailed af) {
    failureStreak++;
    FlightEvents.attemptEnded(attemptEvent, "failed", af.error());
    attemptEvent = null;
    String next = af.nextDelay().map(d -> "next attempt in " + d.toMillis() + " ms")
        .orElse("no further attempt");
    long tookMs = TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - attemptStartNanos);
    // the failed attempt is still the newest: the next one starts after this event
    LoggingEventBuilder b = cause(at(failureStreak == 1 ? Level.WARN : Level.DEBUG, generation),
        af.error());
    if (failureStreak == 1) {
      b.log("[{}] attempt {} to {} failed after {} ms: {}; {} (more failures at DEBUG until"
          + " connected)", config.name(), af.attempt(), af.endpoint(), tookMs,
          af.error().getMessage(), next);
    } else {
      b.log("[{}] attempt {} to {} failed after {} ms: {}; {}", config.name(), af.attempt(),
          af.endpoint(), tookMs, af.error().getMessage(), next);
    }
  }

  private void stateChanged(ConnectionEvent.StateChanged sc, Channel channel) {
    FlightEvents.stateChanged(config.name(), sc.from(), sc.to(), sc.generation(), sc.cause());
    if (sc.to() == ConnectionState.CONNECTED) {
      FlightEvents.attemptEnded(attemptEvent, "connected", null);
      attemptEvent = null;
      connectedAtNanos = ticker.nanoTime();
      at(Level.INFO, sc.generation()).log("[{}] gen={} connected {} -> {} in {} ms{}",
          config.name(), sc.generation(),
          channel == null ? null : channel.localAddress(),
          channel == null ? null : channel.remoteAddress(),
          TimeUnit.NANOSECONDS.toMillis(connectedAtNanos - attemptStartNanos),
          failureStreak > 0 ? " after " + failureStreak + " failed attempts" : "");
      failureStreak = 0;
    } else if (sc.from() == ConnectionState.CONNECTED && sc.to() != ConnectionState.CLOSING) {
      cause(at(Level.WARN, sc.generation()), sc.cause()).log("[{}] gen={} {} after {} ms up: {}",
          config.name(), sc.generation(),
          sc.to() == ConnectionState.CONNECTING ? "replaced" : "lost",
          TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - connectedAtNanos),
          sc.cause() == null ? "closed" : sc.cause().getMessage());
    } else if (sc.from() == ConnectionState.CONNECTING && sc.to() != ConnectionState.BACKOFF) {
      // closed (or given up) while an attempt ran: its event ends here
      FlightEvents.attemptEnded(attemptEvent, "abandoned", sc.cause());
      attemptEvent = null;
    }
  }

  /** An application callback (onMessage, a reply key) threw: log the first and every 1000th. */
  void callbackFailed(long gen, String what, Throwable e) {
    handlerFailures++;
    if (handlerFailures == 1 || handlerFailures % 1000 == 0) {
      at(Level.WARN, gen).setCause(e).log("[{}] gen={} {} threw ({} so far); the connection goes"
          + " on", config.name(), gen, what, handlerFailures);
    }
  }

  /** The connection is CLOSED; {@code cause}: why (a RedialException), or null. */
  void closed(long attempts, long connects, long sent, int failed, Object cause) {
    RedialException why = cause instanceof RedialException r ? r : null;
    FlightEvents.attemptEnded(attemptEvent, "abandoned", why);
    attemptEvent = null;
    cause(at(Level.INFO, generation), why).log("[{}] closed after {} attempts, {} connects; {} messages"
        + " sent, {} unsent messages failed: {}", config.name(), attempts, connects, sent, failed,
        cause == null ? "closed" : why != null ? why.getMessage() : cause);
  }
}
