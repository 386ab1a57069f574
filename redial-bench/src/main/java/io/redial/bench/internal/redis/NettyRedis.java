package io.redial.bench.internal.redis;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisEncoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import io.netty.util.ReferenceCountUtil;
import io.redial.bench.internal.Net;
import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A diagnostic baseline, not a peer users pick: plain Netty with the same Redis codec as
 * {@link RedialRedis}, the way a careful Netty user pipelines (each command written with the
 * channel's void promise, one flush per batch, replies matched to a FIFO of futures, no deadline
 * timer, no reconnect). Against Redial it isolates what Redial's core adds on top of the codec;
 * against Lettuce, what the codec costs. Chosen with the benchmarks' {@code baseline=netty}.
 */
public final class NettyRedis implements RedisSide {
  private final Channel channel;
  /** The futures of the replies still to come, in write order. */
  private final Queue<CompletableFuture<RedisMessage>> waiting;
  @SuppressWarnings("unchecked")
  private CompletableFuture<RedisMessage>[] inFlight = new CompletableFuture[0];

  private NettyRedis(Channel channel, Queue<CompletableFuture<RedisMessage>> waiting) {
    this.channel = channel;
    this.waiting = waiting;
  }

  /** Connects and authenticates within 10 s. */
  public static NettyRedis open(EventLoopGroup group, InetSocketAddress address, String password)
      throws Exception {
    Queue<CompletableFuture<RedisMessage>> waiting = new ConcurrentLinkedQueue<>();
    Channel ch = new Bootstrap().group(group).channel(Net.channelClass())
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel c) {
            c.pipeline().addLast(new RedisDecoder(), new RedisBulkStringAggregator(),
                new RedisArrayAggregator(), new RedisEncoder(),
                new SimpleChannelInboundHandler<RedisMessage>(false) {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, RedisMessage msg) {
                    CompletableFuture<RedisMessage> f = waiting.poll();
                    if (f == null) {
                      ReferenceCountUtil.release(msg);
                    } else {
                      f.complete(msg);
                    }
                  }
                });
          }
        })
        .connect(address).syncUninterruptibly().channel();
    NettyRedis r = new NettyRedis(ch, waiting);
    RedisMessage auth = r.send(RedialRedis.command(RedialRedis.bytes("AUTH"),
        RedialRedis.bytes(password)), true).get(10, TimeUnit.SECONDS);
    try {
      if (!(auth instanceof SimpleStringRedisMessage s) || !s.content().equals("OK")) {
        ch.close();
        throw new IllegalStateException("AUTH answered " + auth);
      }
    } finally {
      ReferenceCountUtil.release(auth);
    }
    return r;
  }

  /** Queues the reply's future, then writes (in the caller's order). */
  private CompletableFuture<RedisMessage> send(RedisMessage cmd, boolean flush) {
    CompletableFuture<RedisMessage> f = new CompletableFuture<>();
    waiting.add(f);
    if (flush) {
      channel.writeAndFlush(cmd, channel.voidPromise());
    } else {
      channel.write(cmd, channel.voidPromise());
    }
    return f;
  }

  @Override
  public String name() {
    return RedisSides.LETTUCE; // it stands in the baseline's place
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
      f[i] = send(RedialRedis.command(RedialRedis.SET, key, value), false);
    }
    channel.flush();
    return RedialRedis.countOk(f, count, timeoutMillis);
  }

  @Override
  public byte[] get(byte[] key, long timeoutMillis) throws Exception {
    return RedialRedis.value(send(RedialRedis.command(RedialRedis.GET, key), true)
        .get(timeoutMillis, TimeUnit.MILLISECONDS));
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
