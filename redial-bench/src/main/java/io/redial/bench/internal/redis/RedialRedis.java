package io.redial.bench.internal.redis;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisEncoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import io.netty.util.ReferenceCountUtil;
import io.redial.Codec;
import io.redial.Correlation;
import io.redial.Handshake;
import io.redial.HandshakeRejectedException;
import io.redial.MessageConnection;
import io.redial.Redial;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Redis client as a Redial user writes it (the README's typed example): Netty's Redis codec,
 * fresh handlers per channel, {@link Correlation#fifo()}, {@code AUTH} in the handshake, and
 * {@code request(message, timeout)} for every command.
 */
public final class RedialRedis implements RedisSide {
  /** Every request's deadline: far beyond any reply here, as a production user sets one. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  static final byte[] SET = bytes("SET");
  static final byte[] GET = bytes("GET");
  private static final byte[] AUTH = bytes("AUTH");

  private final MessageConnection<RedisMessage> connection;
  @SuppressWarnings("unchecked")
  private CompletableFuture<RedisMessage>[] inFlight = new CompletableFuture[0];

  private RedialRedis(MessageConnection<RedisMessage> connection) {
    this.connection = connection;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A diagnosis only (system property {@code redial.bench.redisHighWaterKiB}, default 0: Netty's
   * own 64 KiB): the write-buffer high-water mark of Redial's channels, set from the codec's
   * handler hook, to see how much the Outbox's stop at an unwritable channel costs a pipeline.
   */
  static final int HIGH_WATER_KIB = Integer.getInteger("redial.bench.redisHighWaterKiB", 0);

  /** Netty's Redis codec, new handlers on every channel. */
  public static Codec<RedisMessage> codec() {
    return Codec.netty(RedisMessage.class, p -> {
      if (HIGH_WATER_KIB > 0) {
        p.channel().config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(
            HIGH_WATER_KIB * 512, HIGH_WATER_KIB * 1024));
      }
      p.addLast(new RedisDecoder(), new RedisBulkStringAggregator(), new RedisArrayAggregator(),
          new RedisEncoder());
    });
  }

  /** A command of bulk strings; the arrays are wrapped, not copied (the caller keeps them). */
  static RedisMessage command(byte[]... args) {
    List<RedisMessage> parts = new ArrayList<>(args.length);
    for (byte[] a : args) {
      parts.add(new FullBulkStringRedisMessage(Unpooled.wrappedBuffer(a)));
    }
    return new ArrayRedisMessage(parts);
  }

  /** AUTH on every new channel; a refused password stops the connection for good. */
  static Handshake<RedisMessage> auth(String password) {
    return session -> session.request(command(AUTH, bytes(password)), Duration.ofSeconds(5))
        .thenAccept(reply -> {
          try {
            if (reply instanceof ErrorRedisMessage e) {
              throw new HandshakeRejectedException("AUTH: " + e.content());
            }
          } finally {
            ReferenceCountUtil.release(reply);
          }
        });
  }

  /** An unconnected connection on {@code group}. */
  public static MessageConnection<RedisMessage> build(
      String name, EventLoopGroup group, InetSocketAddress address, String password) {
    return Redial.connection(name, codec())
        .endpoint(address)
        .eventLoopGroup(group)
        .correlation(Correlation.fifo())
        .handshake(auth(password))
        .build();
  }

  /** Connects (AUTH included) within 10 s. */
  public static RedialRedis open(EventLoopGroup group, InetSocketAddress address, String password) {
    MessageConnection<RedisMessage> c = build("bench-redis", group, address, password);
    try {
      c.connect().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      c.close();
      throw new IllegalStateException("redial connect to redis at " + address + " failed", e);
    }
    return new RedialRedis(c);
  }

  @Override
  public String name() {
    return RedisSides.REDIAL;
  }

  @Override
  @SuppressWarnings("unchecked")
  public int setPipelined(int count, byte[] key, byte[] value, long timeoutMillis)
      throws Exception {
    if (inFlight.length < count) {
      inFlight = new CompletableFuture[count];
    }
    CompletableFuture<RedisMessage>[] f = inFlight;
    for (int i = 0; i < count; i++) {
      f[i] = connection.request(command(SET, key, value), REQUEST_TIMEOUT);
    }
    return countOk(f, count, timeoutMillis);
  }

  /**
   * Waits for the replies of {@code f[0..count)} (in order: once the last is in, all are), counts
   * the {@code OK}s, releases each reply and clears the array.
   */
  static int countOk(CompletableFuture<RedisMessage>[] f, int count, long timeoutMillis)
      throws Exception {
    f[count - 1].get(timeoutMillis, TimeUnit.MILLISECONDS);
    int ok = 0;
    for (int i = 0; i < count; i++) {
      RedisMessage reply = f[i].get(timeoutMillis, TimeUnit.MILLISECONDS);
      f[i] = null;
      if (reply instanceof SimpleStringRedisMessage s && s.content().equals("OK")) {
        ok++;
      }
      ReferenceCountUtil.release(reply);
    }
    return ok;
  }

  @Override
  public byte[] get(byte[] key, long timeoutMillis) throws Exception {
    return value(connection.request(command(GET, key), REQUEST_TIMEOUT)
        .get(timeoutMillis, TimeUnit.MILLISECONDS));
  }

  /** A GET's value as bytes (null for nil), releasing the reply. */
  static byte[] value(RedisMessage reply) {
    try {
      if (reply instanceof FullBulkStringRedisMessage b) {
        return b.isNull() ? null : ByteBufUtil.getBytes(b.content());
      }
      throw new IllegalStateException("GET answered " + reply);
    } finally {
      ReferenceCountUtil.release(reply);
    }
  }

  @Override
  public void close() {
    connection.close();
  }
}
