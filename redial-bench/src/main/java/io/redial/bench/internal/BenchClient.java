package io.redial.bench.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One client connection of some {@link ClientKind}, behind the calls a benchmark makes. Every
 * Netty-based kind runs on the caller's {@link Loops#group()}; Vert.x on as many loops of its own.
 */
public interface BenchClient extends AutoCloseable {
  /** Writes one frame (not necessarily flushed yet). */
  void send(byte[] frame);

  /**
   * Flushes what {@link #send} wrote. Every kind measured so far flushes by itself (raw Netty and
   * the hand-rolled loop {@code writeAndFlush} per frame, coalesced by a
   * {@code FlushConsolidationHandler}; Redial once per loop turn; Reactor Netty's {@code send} and
   * Vert.x's {@code write} on their own), so the default does nothing.
   */
  default void flush() {}

  /** Completes when the client is connected for the first time. */
  CompletableFuture<Void> firstConnect();

  /** Closes the client and its connection, and stops it reconnecting; waits a bounded time. */
  @Override
  void close();

  /** Starts one client and waits (bounded) until it is connected. */
  static BenchClient open(Loops loops, String kind, InetSocketAddress address,
      Consumer<byte[]> onFrame) {
    return await(ClientKind.named(kind).opener(loops, onFrame, Events.NONE).start(address),
        kind, address);
  }

  /** Waits until {@code c} is connected; closes it and throws if it is not within 10 s. */
  static BenchClient await(BenchClient c, String kind, InetSocketAddress address) {
    try {
      c.firstConnect().get(10, TimeUnit.SECONDS);
      return c;
    } catch (Exception e) {
      c.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException(kind + " connect to " + address + " failed: " + e, e);
    }
  }

  /**
   * One client of each of {@code kinds}, by name, connected to the same server, for benchmarks
   * whose clients take turns ({@link Alternation}).
   */
  static Map<String, BenchClient> openAll(Loops loops, List<String> kinds,
      InetSocketAddress address, Consumer<byte[]> onFrame) {
    Map<String, BenchClient> clients = new LinkedHashMap<>();
    try {
      for (String kind : kinds) {
        clients.put(kind, open(loops, kind, address, onFrame));
      }
    } catch (RuntimeException e) {
      closeAll(new ArrayList<>(clients.values()));
      throw e;
    }
    return clients;
  }

  /** Closes every client, each bounded. */
  static void closeAll(List<BenchClient> clients) {
    for (BenchClient c : clients) {
      try {
        c.close();
      } catch (RuntimeException e) { // one bad close must not leave the others open
        System.out.println("  (close: " + e + ")");
      }
    }
  }
}
