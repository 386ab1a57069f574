package io.redial.bench.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.redial.Connection;
import io.redial.Redial;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One client connection, Redial's or raw Netty's, behind the calls a benchmark makes. Both run
 * on the caller's event-loop group, so that only the library differs.
 */
public interface BenchClient extends AutoCloseable {
  /** Writes one frame (not necessarily flushed yet). */
  void send(byte[] frame);

  /** Flushes what {@link #send} wrote. */
  void flush();

  @Override
  void close();

  /** Which implementation: {@code "raw"} (plain Netty) or {@code "redial"}. */
  static BenchClient open(
      String impl, EventLoopGroup group, InetSocketAddress address, Consumer<byte[]> onFrame) {
    return switch (impl) {
      case "raw" -> new Raw(RawClient.connect(RawClient.bootstrap(group, onFrame), address));
      case "redial" -> {
        Connection c = Redial.connection("bench")
            .endpoint(address)
            .eventLoopGroup(group)
            .onMessage(onFrame)
            .build();
        try {
          c.connect().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          c.close();
          throw new IllegalStateException("redial connect to " + address + " failed", e);
        }
        yield new Managed(c);
      }
      default -> throw new IllegalArgumentException(
          "impl must be 'raw' or 'redial', but was '" + impl + "'");
    };
  }

  /**
   * One client of each implementation, by name ({@link Alternation#RAW}, {@link Alternation#REDIAL}),
   * connected to the same server on the same group, for benchmarks whose sides take turns.
   */
  static Map<String, BenchClient> openBoth(
      EventLoopGroup group, InetSocketAddress address, Consumer<byte[]> onFrame) {
    Map<String, BenchClient> clients = new HashMap<>();
    for (String impl : new String[] {Alternation.RAW, Alternation.REDIAL}) {
      clients.put(impl, open(impl, group, address, onFrame));
    }
    return clients;
  }

  /** Plain Netty: {@code writeAndFlush} per frame; the pipeline coalesces the flushes. */
  record Raw(Channel channel) implements BenchClient {
    @Override
    public void send(byte[] frame) {
      channel.writeAndFlush(frame, channel.voidPromise());
    }

    @Override
    public void flush() {
      // each send flushed already (coalesced by FlushConsolidationHandler)
    }

    @Override
    public void close() {
      channel.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
  }

  /** Redial: {@code send} hops onto the loop and flushes once per loop turn by itself. */
  record Managed(Connection connection) implements BenchClient {
    @Override
    public void send(byte[] frame) {
      connection.send(frame);
    }

    @Override
    public void flush() {
      // Redial flushes on its own (once per event-loop turn)
    }

    @Override
    public void close() {
      connection.close();
    }
  }
}
