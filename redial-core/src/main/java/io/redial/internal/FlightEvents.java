package io.redial.internal;

import io.redial.ConnectionState;
import io.redial.RedialException;
import java.time.Duration;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Redial's JDK Flight Recorder events, named {@code io.redial.*}. They are enabled by default with
 * no threshold (JFR's defaults for an event class), and recorded only while a recording runs:
 * {@code java -XX:StartFlightRecording ...} or {@code jcmd <pid> JFR.start}. Every one is about a
 * lifecycle step (an attempt, a state change, a missed heartbeat, a request that timed out), never
 * about a message, so a recording costs the data path nothing. No stack traces: they would only
 * show the event loop.
 *
 * <p>The helpers below check {@link Event#isEnabled()} first, so without a recording an event
 * costs one allocation that escape analysis removes and no field is filled.
 */
public final class FlightEvents {
  private FlightEvents() {}

  /** The JFR category every Redial event is filed under. */
  static final String CATEGORY = "Redial";

  /** One connect attempt: a brand-new channel, from its creation until connected or failed. */
  @Name("io.redial.ConnectAttempt")
  @Label("Connect Attempt")
  @Category(CATEGORY)
  @Description("One connect attempt of a Redial connection, on a brand-new channel: TCP, TLS and"
      + " the handshake, until CONNECTED or its failure")
  @StackTrace(false)
  static final class ConnectAttempt extends Event {
    @Label("Connection")
    String connection;

    @Label("Endpoint")
    @Description("host:port as configured")
    String endpoint;

    @Label("Generation")
    @Description("The channel's generation number")
    long generation;

    @Label("Attempt")
    @Description("The attempt's number since the last successful connect (1-based)")
    int attempt;

    @Label("Outcome")
    @Description("connected, failed or abandoned (the connection was closed first)")
    String outcome;

    @Label("Catalog Entry")
    @Description("The catalog entry of the failure (ECONNREFUSED, CONNECT_TIMEOUT, ...); empty"
        + " when connected")
    String catalogEntry;

    @Label("Message")
    String message;
  }

  /** The public state of a connection changed. */
  @Name("io.redial.StateChange")
  @Label("State Change")
  @Category(CATEGORY)
  @Description("A Redial connection moved from one state to another")
  @StackTrace(false)
  static final class StateChange extends Event {
    @Label("Connection")
    String connection;

    @Label("From")
    String from;

    @Label("To")
    String to;

    @Label("Generation")
    long generation;

    @Label("Catalog Entry")
    @Description("The catalog entry of the cause; empty when the change had none")
    String catalogEntry;

    @Label("Cause")
    String cause;
  }

  /** The heartbeat found a channel silent: it is closed and replaced. */
  @Name("io.redial.HeartbeatMissed")
  @Label("Heartbeat Missed")
  @Category(CATEGORY)
  @Description("No message came back within the heartbeat timeout after a ping; the channel is"
      + " replaced")
  @StackTrace(false)
  static final class HeartbeatMissed extends Event {
    @Label("Connection")
    String connection;

    @Label("Generation")
    long generation;

    @Label("Timeout")
    @Timespan(Timespan.NANOSECONDS)
    long timeout;
  }

  /** A request got no reply before its deadline. */
  @Name("io.redial.RequestTimeout")
  @Label("Request Timeout")
  @Category(CATEGORY)
  @Description("A request of a Redial connection got no reply within its deadline"
      + " (REQUEST_TIMEOUT)")
  @StackTrace(false)
  static final class RequestTimeout extends Event {
    @Label("Connection")
    String connection;

    @Label("Timeout")
    @Timespan(Timespan.NANOSECONDS)
    long timeout;

    @Label("Size")
    @DataAmount
    long size;

    @Label("Stage")
    @Description("queued (it never left the offline queue), writing (handed to a channel), or"
        + " awaiting reply (written, its reply never came)")
    String stage;
  }

  // ---- helpers (event loop) --------------------------------------------------------------------

  /** Starts timing an attempt; null when no recording wants the event. */
  static ConnectAttempt attemptStarted(String connection, Sweep.Target endpoint, long gen,
      int attempt) {
    ConnectAttempt e = new ConnectAttempt();
    if (!e.isEnabled()) {
      return null;
    }
    e.begin();
    e.connection = connection;
    e.endpoint = endpoint.label();
    e.generation = gen;
    e.attempt = attempt;
    return e;
  }

  /** Ends and commits an attempt started by {@link #attemptStarted}; null does nothing. */
  static void attemptEnded(ConnectAttempt e, String outcome, RedialException cause) {
    if (e == null) {
      return;
    }
    e.end();
    if (e.shouldCommit()) {
      e.outcome = outcome;
      e.catalogEntry = cause == null ? "" : cause.error().name();
      e.message = cause == null ? "" : cause.getMessage();
      e.commit();
    }
  }

  static void stateChanged(String connection, ConnectionState from, ConnectionState to, long gen,
      RedialException cause) {
    StateChange e = new StateChange();
    if (e.shouldCommit()) {
      e.connection = connection;
      e.from = from.name();
      e.to = to.name();
      e.generation = gen;
      e.catalogEntry = cause == null ? "" : cause.error().name();
      e.cause = cause == null ? "" : cause.getMessage();
      e.commit();
    }
  }

  static void heartbeatMissed(String connection, long gen, Duration timeout) {
    HeartbeatMissed e = new HeartbeatMissed();
    if (e.shouldCommit()) {
      e.connection = connection;
      e.generation = gen;
      e.timeout = timeout == null ? 0 : timeout.toNanos();
      e.commit();
    }
  }

  /**
   * A request's deadline passed.
   *
   * @param writeGen the request's write state: 0 while queued, the channel's generation while
   *     being written, -1 once written
   */
  public static void requestTimedOut(String connection, Duration timeout, long size,
      long writeGen) {
    RequestTimeout e = new RequestTimeout();
    if (e.shouldCommit()) {
      e.connection = connection;
      e.timeout = timeout.toNanos();
      e.size = size;
      e.stage = writeGen == 0 ? "queued" : writeGen > 0 ? "writing" : "awaiting reply";
      e.commit();
    }
  }
}
