package io.redial.bench.internal.redis;

import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.redis.RedisMessage;
import io.redial.MessageConnection;
import io.redial.bench.internal.Net;
import io.redial.bench.internal.Waits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Live heap per idle typed Redis connection, the approach of the other footprint figure: the heap
 * after full collections before and after opening N connections (AUTH done on each), Lettuce's
 * {@code StatefulRedisConnection} (one {@code RedisClient}) then Redial's
 * {@code MessageConnection<RedisMessage>} (then Redial, Lettuce in a second round), both on as
 * many I/O threads as cores. The server is {@code redis-server}, another process, so the measured
 * heap holds only client objects.
 */
public final class RedisFootprint {
  /** Connects in flight at once while opening. */
  static final int BATCH = 200;

  private RedisFootprint() {}

  /** Per-connection bytes of each round: {@code [0]} Redial's, {@code [1]} Lettuce's. */
  public static double[][] measure(RedisPlan plan, RedisProcess redis) throws Exception {
    int n = plan.footprintConnections();
    int cores = Runtime.getRuntime().availableProcessors();
    EventLoopGroup group = Net.newGroup(cores, "redial-redis-idle");
    ClientResources resources = LettuceRedis.resources(cores);
    RedisClient client = RedisClient.create(resources);
    RedisURI uri = LettuceRedis.uri(redis.address(), redis.password());
    try {
      // warm both up: lazily started threads and loaded classes are not counted
      closeLettuce(openLettuce(client, uri, cores * 2));
      closeRedial(openRedial(group, redis, cores * 2));
      List<Double> redial = new ArrayList<>();
      List<Double> lettuce = new ArrayList<>();
      for (int round = 0; round < plan.footprintRounds(); round++) {
        boolean lettuceFirst = round % 2 == 0; // L/R, then R/L: drift favours neither
        for (int k = 0; k < 2; k++) {
          boolean doLettuce = (k == 0) == lettuceFirst;
          long heap0 = Waits.liveHeap();
          double perConnection;
          if (doLettuce) {
            List<StatefulRedisConnection<byte[], byte[]>> open = openLettuce(client, uri, n);
            perConnection = (double) (Waits.liveHeap() - heap0) / n;
            closeLettuce(open);
            lettuce.add(perConnection);
          } else {
            List<MessageConnection<RedisMessage>> open = openRedial(group, redis, n);
            perConnection = (double) (Waits.liveHeap() - heap0) / n;
            closeRedial(open);
            redial.add(perConnection);
          }
          System.out.printf("  redis footprint %-7s %,d connections: %,.0f B/connection%n",
              doLettuce ? "lettuce" : "redial", n, perConnection);
        }
      }
      return new double[][] {
        redial.stream().mapToDouble(d -> d).toArray(),
        lettuce.stream().mapToDouble(d -> d).toArray()
      };
    } finally {
      client.shutdown(0, 5, TimeUnit.SECONDS);
      resources.shutdown(0, 2, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
      Net.shutdown(group);
    }
  }

  static List<StatefulRedisConnection<byte[], byte[]>> openLettuce(
      RedisClient client, RedisURI uri, int n) {
    List<StatefulRedisConnection<byte[], byte[]>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i += BATCH) {
      List<ConnectionFuture<StatefulRedisConnection<byte[], byte[]>>> batch = new ArrayList<>();
      for (int j = i; j < Math.min(n, i + BATCH); j++) {
        batch.add(client.connectAsync(ByteArrayCodec.INSTANCE, uri));
      }
      for (ConnectionFuture<StatefulRedisConnection<byte[], byte[]>> f : batch) {
        try {
          out.add(f.get(30, TimeUnit.SECONDS));
        } catch (Exception e) {
          closeLettuce(out);
          throw new IllegalStateException("lettuce connect failed after " + out.size()
              + " connections: " + e, e);
        }
      }
    }
    return out;
  }

  static List<MessageConnection<RedisMessage>> openRedial(
      EventLoopGroup group, RedisProcess redis, int n) {
    List<MessageConnection<RedisMessage>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i += BATCH) {
      List<CompletableFuture<? extends MessageConnection<RedisMessage>>> batch = new ArrayList<>();
      for (int j = i; j < Math.min(n, i + BATCH); j++) {
        MessageConnection<RedisMessage> c = RedialRedis.build("idle-redis-" + j, group,
            redis.address(), redis.password());
        out.add(c);
        batch.add(c.connect());
      }
      for (CompletableFuture<? extends MessageConnection<RedisMessage>> f : batch) {
        try {
          f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          closeRedial(out);
          throw new IllegalStateException("redial connect failed after " + i + "+ connections: "
              + e, e);
        }
      }
    }
    return out;
  }

  static void closeLettuce(List<StatefulRedisConnection<byte[], byte[]>> connections) {
    List<CompletableFuture<Void>> closing = new ArrayList<>(connections.size());
    connections.forEach(c -> closing.add(c.closeAsync()));
    await(closing, "lettuce");
  }

  static void closeRedial(List<MessageConnection<RedisMessage>> connections) {
    List<CompletableFuture<Void>> closing = new ArrayList<>(connections.size());
    connections.forEach(c -> closing.add(c.closeAsync()));
    await(closing, "redial");
  }

  private static void await(List<CompletableFuture<Void>> closing, String side) {
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      long open = closing.stream().filter(f -> !f.isDone()).count();
      System.out.println("  (closing " + closing.size() + " " + side + " connections: " + open
          + " still pending after 30 s: " + e + ")");
    }
  }
}
