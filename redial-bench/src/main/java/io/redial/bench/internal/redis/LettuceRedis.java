package io.redial.bench.internal.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce's async API as its documentation has it: one {@link RedisClient} on
 * {@link ClientResources} sized like Redial's event-loop group, a {@code StatefulRedisConnection}
 * with {@code ByteArrayCodec}, the password in the {@link RedisURI} (Lettuce authenticates on
 * connect), and, for bulk pipelining, auto-flush off and one {@code flushCommands()} per batch
 * (Lettuce's "pipelining and command flushing"), unless {@code autoFlush} is asked for.
 */
public final class LettuceRedis implements RedisSide {
  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final RedisAsyncCommands<byte[], byte[]> async;
  private final boolean autoFlush;
  @SuppressWarnings("unchecked")
  private RedisFuture<String>[] inFlight = new RedisFuture[0];

  private LettuceRedis(StatefulRedisConnection<byte[], byte[]> connection, boolean autoFlush) {
    this.connection = connection;
    this.async = connection.async();
    this.autoFlush = autoFlush;
    connection.setAutoFlushCommands(autoFlush);
  }

  /** Lettuce's resources with {@code threads} I/O (and computation) threads. */
  public static ClientResources resources(int threads) {
    return DefaultClientResources.builder()
        .ioThreadPoolSize(threads)
        .computationThreadPoolSize(threads)
        .build();
  }

  /** The URI of the bench's server, with its password. */
  public static RedisURI uri(InetSocketAddress address, String password) {
    return RedisURI.builder()
        .withHost(address.getHostString())
        .withPort(address.getPort())
        .withPassword(password.toCharArray())
        .build();
  }

  /** Connects (authentication included); {@code autoFlush} false for bulk pipelining. */
  public static LettuceRedis open(RedisClient client, InetSocketAddress address, String password,
      boolean autoFlush) {
    return new LettuceRedis(client.connect(ByteArrayCodec.INSTANCE, uri(address, password)),
        autoFlush);
  }

  @Override
  public String name() {
    return RedisSides.LETTUCE;
  }

  @Override
  @SuppressWarnings("unchecked")
  public int setPipelined(int count, byte[] key, byte[] value, long timeoutMillis)
      throws Exception {
    if (inFlight.length < count) {
      inFlight = new RedisFuture[count];
    }
    RedisFuture<String>[] f = inFlight;
    for (int i = 0; i < count; i++) {
      f[i] = async.set(key, value);
    }
    if (!autoFlush) {
      connection.flushCommands();
    }
    f[count - 1].get(timeoutMillis, TimeUnit.MILLISECONDS); // in order: the last is the latest
    int ok = 0;
    for (int i = 0; i < count; i++) {
      if ("OK".equals(f[i].get(timeoutMillis, TimeUnit.MILLISECONDS))) {
        ok++;
      }
      f[i] = null;
    }
    return ok;
  }

  @Override
  public byte[] get(byte[] key, long timeoutMillis) throws Exception {
    RedisFuture<byte[]> f = async.get(key);
    if (!autoFlush) {
      connection.flushCommands();
    }
    return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    connection.close();
  }
}
