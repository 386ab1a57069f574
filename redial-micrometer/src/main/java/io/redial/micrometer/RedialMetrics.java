package io.redial.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.redial.ConnectionEvent;
import io.redial.ConnectionListener;
import io.redial.ConnectionState;
import io.redial.MessageConnection;
import io.redial.RedialException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters for one Redial connection, each tagged {@code connection=<name>}:
 *
 * <ul>
 *   <li>{@code redial.connection.attempts}, {@code redial.connection.connects},
 *       {@code redial.connection.disconnects}: counters of connect attempts started, attempts that
 *       reached CONNECTED, and connected channels lost;
 *   <li>{@code redial.connection.connected}: a gauge, 1 while CONNECTED, else 0;
 *   <li>{@code redial.queue.messages}, {@code redial.queue.bytes}: gauges of what waits in the
 *       offline queue;
 *   <li>{@code redial.messages.sent}, {@code redial.messages.received}, {@code redial.bytes.sent},
 *       {@code redial.bytes.received}: counters of the data path;
 *   <li>{@code redial.connection.connect.duration}: a timer of connect attempts, from the new
 *       channel until CONNECTED (handshake included) or the failure, tagged
 *       {@code outcome=connected|failed};
 *   <li>{@code redial.connection.failures}: a counter of failed attempts and lost connections,
 *       tagged {@code kind=attempt|disconnect} and {@code error=<catalog entry>} (for example
 *       {@code ECONNREFUSED}, {@code HEARTBEAT_TIMEOUT}).
 * </ul>
 *
 * <p>The counters and gauges are functions of {@link MessageConnection#stats()} and
 * {@link MessageConnection#state()}, read when the registry publishes: nothing runs per message.
 * The timer and the failure counter come from a {@link ConnectionListener} the binder adds to the
 * connection, which hears lifecycle events only (attempts, state changes). The binder holds the
 * connection weakly through the meters, as Micrometer's own binders do.
 *
 * <pre>{@code
 * MessageConnection<byte[]> c = Redial.connection("orders").endpoint("db", 7000).build();
 * new RedialMetrics(c).bindTo(registry);
 * }</pre>
 */
public final class RedialMetrics implements MeterBinder {
  private final MessageConnection<?> connection;
  private final Tags tags;
  /** The registries bound so far: a second bindTo to one registry adds nothing (no double count). */
  private final Set<MeterRegistry> bound =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  /**
   * Meters for {@code connection}, tagged with its name.
   *
   * @throws NullPointerException when {@code connection} is null
   */
  public RedialMetrics(MessageConnection<?> connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.tags = Tags.of("connection", connection.name());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    if (!bound.add(registry)) {
      return;
    }
    counter(registry, "redial.connection.attempts", "Connect attempts started (one per channel)",
        s -> s.stats().attempts());
    counter(registry, "redial.connection.connects", "Connect attempts that reached CONNECTED",
        s -> s.stats().connects());
    counter(registry, "redial.connection.disconnects",
        "Connected channels lost (close() not counted)", s -> s.stats().disconnects());
    counter(registry, "redial.messages.sent", "Messages written to a live socket",
        s -> s.stats().framesSent());
    counter(registry, "redial.messages.received", "Messages decoded from the peer",
        s -> s.stats().framesReceived());
    counter(registry, "redial.bytes.sent", "Payload bytes of the messages sent",
        s -> s.stats().bytesSent());
    counter(registry, "redial.bytes.received", "Payload bytes of the messages received",
        s -> s.stats().bytesReceived());
    Gauge.builder("redial.connection.connected", connection,
            c -> c.state() == ConnectionState.CONNECTED ? 1 : 0)
        .description("1 while the connection is CONNECTED, else 0")
        .tags(tags)
        .register(registry);
    Gauge.builder("redial.queue.messages", connection, c -> c.stats().queuedFrames())
        .description("Messages waiting in the offline queue")
        .tags(tags)
        .register(registry);
    Gauge.builder("redial.queue.bytes", connection, c -> c.stats().queuedBytes())
        .description("Payload bytes waiting in the offline queue")
        .tags(tags)
        .register(registry);
    connection.addListener(new Lifecycle(registry, connection.name(), tags));
  }

  /** A counter read from the connection; no base unit, so that every backend keeps the name. */
  private void counter(MeterRegistry registry, String name, String description,
      ToDoubleFunction<MessageConnection<?>> read) {
    FunctionCounter.builder(name, connection, read)
        .description(description)
        .tags(tags)
        .register(registry);
  }

  /**
   * Times attempts and counts failures by catalog entry, from lifecycle events (event loop: a few
   * per attempt, none per message). Meters are looked up per event, which is rare.
   */
  private static final class Lifecycle implements ConnectionListener {
    private final MeterRegistry registry;
    private final String name;
    private final Tags tags;
    // event loop only: when the running attempt started (registry clock); -1: none running
    private long attemptStart = -1;

    Lifecycle(MeterRegistry registry, String name, Tags tags) {
      this.registry = registry;
      this.name = name;
      this.tags = tags;
    }

    @Override
    public void onEvent(ConnectionEvent event) {
      if (event instanceof ConnectionEvent.AttemptStarted) {
        attemptStart = registry.config().clock().monotonicTime();
      } else if (event instanceof ConnectionEvent.AttemptFailed af) {
        attemptEnded("failed");
        failure("attempt", af.error());
      } else if (event instanceof ConnectionEvent.StateChanged sc) {
        if (sc.to() == ConnectionState.CONNECTED) {
          attemptEnded("connected");
        } else if (sc.from() == ConnectionState.CONNECTED && sc.to() != ConnectionState.CLOSING) {
          failure("disconnect", sc.cause());
        }
      }
    }

    private void attemptEnded(String outcome) {
      if (attemptStart < 0) {
        return; // bound while the attempt ran: its start is unknown
      }
      long took = registry.config().clock().monotonicTime() - attemptStart;
      attemptStart = -1;
      Timer.builder("redial.connection.connect.duration")
          .description("Connect attempts, from the new channel until CONNECTED or the failure")
          .tags(tags)
          .tag("outcome", outcome)
          .register(registry)
          .record(took, TimeUnit.NANOSECONDS);
    }

    private void failure(String kind, RedialException cause) {
      Counter.builder("redial.connection.failures")
          .description("Failed attempts and lost connections, by catalog entry")
          .tags(tags)
          .tag("kind", kind)
          .tag("error", cause == null ? "NONE" : cause.error().name())
          .register(registry)
          .increment();
    }

    @Override
    public String toString() {
      return "RedialMetrics[" + name + "]";
    }
  }
}
