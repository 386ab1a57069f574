package io.redial.bench.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.time.Duration;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;
import reactor.util.retry.Retry;

/**
 * Reactor Netty's {@code TcpClient} with the reconnect its users are pointed to (Reactor Netty has
 * none built in, #1843): {@code connect()} is cold, so the chain
 * {@code connect → (connection, then its onDispose) → repeat → retryWhen(Retry.backoff(1 s)
 * .maxBackoff(120 s).jitter(0.2).transientErrors(true))} connects again at once after a loss,
 * then backs off 1 s, 2 s, 4 s … ±20 % while connects fail, and starts the backoff from scratch
 * after every connection (the connection itself is emitted, which resets a transient retry).
 *
 * <p>Unpooled ({@link TcpClient#newConnection()}: a long-lived connection, not a pool), on the
 * caller's event-loop group ({@code runOn}), {@code TCP_NODELAY} and {@code SO_KEEPALIVE}. Frames:
 * a {@link LengthFieldBasedFrameDecoder} added in {@code doOnConnected}, inbound read as
 * {@code receive().asByteArray()}; outbound through one {@code Sinks.many().unicast()} per
 * connection, sent with {@code outbound().send(...)} (Reactor Netty flushes by itself). A send
 * while disconnected goes to no connection and is dropped.
 */
final class ReactorClient extends Reconnecting {
  static final ClientKind KIND = new ClientKind(ClientKind.REACTOR, "Reactor Netty TcpClient",
      "by hand: connect().flatMapMany(c → c, then c.onDispose()).repeat().retryWhen("
          + "Retry.backoff(∞, 1 s).maxBackoff(120 s).jitter(0.2).transientErrors(true)): again at"
          + " once after a loss, then 1 s, 2 s, 4 s … ±20 %",
      "dropped: no connection to send on (the sink of the dead connection is gone)",
      ReactorClient::opener);

  private static ClientKind.Opener opener(Loops loops, Consumer<byte[]> onFrame, Events events) {
    TcpClient base = TcpClient.newConnection()
        .runOn(loops.group())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .doOnConnect(config -> events.attempt())
        .doOnConnected(c -> {
          c.addHandlerLast("frames", new LengthFieldBasedFrameDecoder(
              RawClient.MAX_FRAME_BYTES + 4, 0, 4, 0, 4, true));
          events.connected();
        })
        .doOnDisconnected(c -> events.disconnected());
    return address -> new ReactorClient(base.remoteAddress(() -> address), onFrame);
  }

  private final Disposable loop;
  private volatile Connection current;
  private volatile Sinks.Many<byte[]> outbound;

  private ReactorClient(TcpClient client, Consumer<byte[]> onFrame) {
    loop = client.connect()
        .flatMapMany(c -> {
          Sinks.Many<byte[]> sink = Sinks.many().unicast().onBackpressureBuffer();
          ByteBufAllocator alloc = c.channel().alloc();
          c.inbound().receive().asByteArray().subscribe(onFrame::accept, e -> c.dispose());
          c.outbound().send(sink.asFlux().map(frame -> encode(alloc, frame))).then()
              .subscribe(null, e -> c.dispose());
          outbound = sink;
          current = c;
          first.complete(null);
          return Flux.just(c).concatWith(c.onDispose().then(Mono.empty()));
        })
        .repeat(() -> !closed)
        .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1))
            .maxBackoff(Duration.ofSeconds(120))
            .jitter(0.2)
            .transientErrors(true))
        .subscribe(c -> {}, e -> first.completeExceptionally(e));
  }

  private static ByteBuf encode(ByteBufAllocator alloc, byte[] frame) {
    return alloc.ioBuffer(4 + frame.length).writeInt(frame.length).writeBytes(frame);
  }

  @Override
  public void send(byte[] frame) {
    Connection c = current;
    Sinks.Many<byte[]> sink = outbound;
    if (c != null && !c.isDisposed() && sink != null) {
      sink.tryEmitNext(frame); // a failed emit (connection gone) drops the frame
    }
  }

  @Override
  protected void stop() {
    loop.dispose();
    Connection c = current;
    if (c != null) {
      c.disposeNow(Duration.ofSeconds(10));
    }
  }
}
