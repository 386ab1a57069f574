package io.redial.bench.internal.redis;

/**
 * One Redis client connection behind the calls the Redis benchmarks make: Redial on Netty's
 * Redis codec ({@link RedialRedis}) or Lettuce's async API ({@link LettuceRedis}). Keys and values
 * are {@code byte[]} on both sides (Lettuce's {@code ByteArrayCodec}; Redial's replies copied out
 * of their buffers), so that both hand the caller the same thing.
 */
public interface RedisSide extends AutoCloseable {
  /** {@link RedisSides#LETTUCE} or {@link RedisSides#REDIAL}. */
  String name();

  /**
   * Sends {@code count} {@code SET key value} back to back on the one connection, then waits (at
   * most {@code timeoutMillis}) until every reply is in.
   *
   * @return how many replies were {@code OK}
   */
  int setPipelined(int count, byte[] key, byte[] value, long timeoutMillis) throws Exception;

  /** One {@code GET key} round trip; the value, or null when there is none. */
  byte[] get(byte[] key, long timeoutMillis) throws Exception;

  @Override
  void close();
}
