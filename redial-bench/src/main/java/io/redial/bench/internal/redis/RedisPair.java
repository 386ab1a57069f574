package io.redial.bench.internal.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.netty.channel.EventLoopGroup;
import io.redial.bench.internal.Net;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Both sides of the Redis figure, connected to the same {@code redis-server} with one I/O thread
 * each (Redial on a one-thread group of the bench's transport, Lettuce on resources of one I/O
 * thread; both pick native epoll when it loads). With {@code port} 0 it starts its own server
 * (a benchmark run outside the suite) and kills it on {@link #close()}.
 */
public final class RedisPair implements AutoCloseable {
  private final RedisProcess ownServer;
  private final EventLoopGroup group;
  /** The diagnostic Netty baseline's own one-thread group (null for Lettuce). */
  private final EventLoopGroup baselineGroup;
  private final ClientResources resources;
  private final RedisClient lettuceClient;
  private final RedialRedis redial;
  /** Lettuce, or, for diagnosis, plain Netty with Redial's codec. */
  private final RedisSide lettuce;

  private RedisPair(RedisProcess ownServer, EventLoopGroup group, EventLoopGroup baselineGroup,
      ClientResources resources, RedisClient lettuceClient, RedialRedis redial,
      RedisSide lettuce) {
    this.ownServer = ownServer;
    this.group = group;
    this.baselineGroup = baselineGroup;
    this.resources = resources;
    this.lettuceClient = lettuceClient;
    this.redial = redial;
    this.lettuce = lettuce;
  }

  /** Redial and Lettuce; see {@link #open(int, String, boolean, String)}. */
  public static RedisPair open(int port, String password, boolean lettuceAutoFlush)
      throws Exception {
    return open(port, password, lettuceAutoFlush, "lettuce");
  }

  /**
   * Opens both sides against {@code 127.0.0.1:port} (a server of the suite), or against a server
   * of its own when {@code port} is 0. {@code baseline} is {@code "lettuce"} (the figure) or
   * {@code "netty"} (a diagnosis: plain Netty with Redial's codec in Lettuce's place, on a
   * one-thread group of its own like Redial's).
   */
  public static RedisPair open(int port, String password, boolean lettuceAutoFlush,
      String baseline) throws Exception {
    if (!baseline.equals("lettuce") && !baseline.equals("netty")) {
      throw new IllegalArgumentException(
          "baseline must be 'lettuce' or 'netty', but was '" + baseline + "'");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0 (start a server) or 1-65535, but was "
          + port);
    }
    RedisProcess own = port == 0 ? RedisProcess.start(password, 1_000) : null;
    InetSocketAddress address = own != null ? own.address() : new InetSocketAddress("127.0.0.1", port);
    EventLoopGroup group = null;
    EventLoopGroup baselineGroup = null;
    ClientResources resources = null;
    RedisClient client = null;
    RedialRedis redial = null;
    try {
      group = Net.newGroup(1, "bench-redial-redis");
      resources = LettuceRedis.resources(1);
      client = RedisClient.create(resources);
      redial = RedialRedis.open(group, address, password);
      RedisSide lettuce;
      if (baseline.equals("netty")) {
        baselineGroup = Net.newGroup(1, "bench-netty-redis");
        lettuce = NettyRedis.open(baselineGroup, address, password);
      } else {
        lettuce = LettuceRedis.open(client, address, password, lettuceAutoFlush);
      }
      return new RedisPair(own, group, baselineGroup, resources, client, redial, lettuce);
    } catch (Exception | Error e) {
      if (redial != null) {
        redial.close();
      }
      Net.shutdown(baselineGroup);
      shutdown(client, resources, group, own);
      throw e;
    }
  }

  /** The side called {@code name}. */
  public RedisSide side(String name) {
    return switch (name) {
      case RedisSides.LETTUCE -> lettuce;
      case RedisSides.REDIAL -> redial;
      default -> throw new IllegalArgumentException(
          "side must be 'lettuce' or 'redial', but was '" + name + "'");
    };
  }

  @Override
  public void close() throws Exception {
    try {
      lettuce.close();
      redial.close();
    } finally {
      Net.shutdown(baselineGroup);
      shutdown(lettuceClient, resources, group, ownServer);
    }
  }

  private static void shutdown(RedisClient client, ClientResources resources,
      EventLoopGroup group, RedisProcess own) throws Exception {
    try {
      if (client != null) {
        client.shutdown(0, 2, TimeUnit.SECONDS);
      }
      if (resources != null) {
        resources.shutdown(0, 2, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
      }
      Net.shutdown(group);
    } finally {
      if (own != null) {
        own.close();
      }
    }
  }
}
