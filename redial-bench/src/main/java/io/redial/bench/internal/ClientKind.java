package io.redial.bench.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * A client library measured by the bench, speaking the bench's protocol (4-byte big-endian length,
 * then the payload, echoed by the loopback server) the way its own documentation recommends.
 * {@link #REDIAL} is measured against every other kind; {@link #RAW} is the limit (plain Netty,
 * no reconnect), the others are what a team would pick instead of Redial. {@code name} is the short
 * key used in figure ids and JMH parameters, {@code label} is for people, {@code reconnect} says
 * how it reconnects (empty: not at all) and {@code offline} what a send while disconnected does.
 *
 * <p>Another kind of client (a Redis figure: Redial with Netty's Redis codec against Lettuce,
 * say) speaks another protocol to another server: it gets its own list and workload next to
 * {@link #echo()}, and implements this interface the same way.
 */
public record ClientKind(String name, String label, String reconnect, String offline,
    OpenerFactory factory) {
  public static final String RAW = "raw";
  public static final String REDIAL = "redial";
  public static final String REACTOR = "reactor";
  public static final String VERTX = "vertx";
  public static final String HANDROLLED = "handrolled";

  /**
   * The per-library part shared by every client of this kind on {@code loops} (a Bootstrap, a
   * {@code TcpClient}, a {@code NetClient}); each inbound frame goes to {@code onFrame} as a
   * {@code byte[]}, and every client reports to {@code events}.
   */
  public Opener opener(Loops loops, Consumer<byte[]> onFrame, Events events) {
    return factory.opener(loops, onFrame, events);
  }

  /** Makes the {@link Opener} of a kind. */
  public interface OpenerFactory {
    Opener opener(Loops loops, Consumer<byte[]> onFrame, Events events);
  }

  /** Starts clients of one kind. */
  public interface Opener {
    /**
     * Starts one client towards {@code address}; its {@link BenchClient#firstConnect()} completes
     * when it is connected the first time. Clients that reconnect keep doing so until closed.
     */
    BenchClient start(InetSocketAddress address);
  }

  /** Every kind of the echo workload, Redial first. */
  public static List<ClientKind> echo() {
    return Echo.ALL;
  }

  /**
   * Holds the list apart from this class, so that initializing a kind's class (which makes a
   * {@code ClientKind}) never needs the list while the kind itself is still being initialized.
   */
  private static final class Echo {
    static final List<ClientKind> ALL = List.of(
        RedialKind.KIND, RawClient.KIND, ReactorClient.KIND, VertxClient.KIND,
        HandRolledClient.KIND);
  }

  /** The kinds Redial is measured against on the echo workload, in turn order. */
  public static List<String> peers() {
    return echo().stream().map(ClientKind::name).filter(n -> !n.equals(REDIAL)).toList();
  }

  /** The kinds that reconnect by themselves (every one but raw Netty). */
  public static List<ClientKind> reconnecting() {
    return echo().stream().filter(k -> !k.reconnect().isEmpty()).toList();
  }

  /** The kind called {@code name}. */
  public static ClientKind named(String name) {
    for (ClientKind k : echo()) {
      if (k.name().equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("client must be one of "
        + echo().stream().map(ClientKind::name).toList() + ", but was '" + name + "'");
  }
}
