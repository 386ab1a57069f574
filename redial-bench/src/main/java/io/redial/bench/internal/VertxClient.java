package io.redial.bench.internal;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Vert.x 5's {@code NetClient} with the reconnect its users write: {@code reconnectAttempts}
 * covers only the first connect (quarkus #7404, vertx-mqtt #66), so a {@code closeHandler}
 * connects again, and failed connects back off on {@code vertx.setTimer} with the same policy as
 * the Reactor Netty client (again at once after a loss, then 1 s, 2 s, 4 s … ±20 %, cap 120 s,
 * reset by a connection). One {@code NetClient} for all connections, as Vert.x recommends;
 * {@code TCP_NODELAY} and keepalive on. Frames: a {@link RecordParser} alternating between the
 * 4-byte length and the payload ({@code fixedSizeMode}); outbound, {@code write} of a
 * {@code Buffer} holding the length and the payload. Vert.x runs on its own event loops (as many
 * as the Netty clients get). A send while disconnected has no socket and is dropped.
 */
final class VertxClient extends Reconnecting {
  static final ClientKind KIND = new ClientKind(ClientKind.VERTX, "Vert.x NetClient",
      "by hand: closeHandler connects again at once, failed connects retry on vertx.setTimer after"
          + " 1 s, 2 s, 4 s … ±20 % (cap 120 s)",
      "dropped: no socket to write to",
      VertxClient::opener);

  private static ClientKind.Opener opener(Loops loops, Consumer<byte[]> onFrame, Events events) {
    Vertx vertx = loops.vertx();
    NetClient client = vertx.createNetClient(new NetClientOptions()
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true)
        .setConnectTimeout(10_000));
    return address -> new VertxClient(vertx, client, address, onFrame, events);
  }

  private final Vertx vertx;
  private final NetClient client;
  private final InetSocketAddress address;
  private final Consumer<byte[]> onFrame;
  private final Events events;
  private volatile NetSocket socket;
  private volatile long timer = -1;
  /** Connects failed in a row; touched on the Vert.x context only. */
  private int failures;

  private VertxClient(Vertx vertx, NetClient client, InetSocketAddress address,
      Consumer<byte[]> onFrame, Events events) {
    this.vertx = vertx;
    this.client = client;
    this.address = address;
    this.onFrame = onFrame;
    this.events = events;
    connect();
  }

  private void connect() {
    if (closed) {
      return;
    }
    events.attempt();
    client.connect(address.getPort(), address.getAddress().getHostAddress()).onComplete(ar -> {
      if (ar.failed()) {
        retry(Backoffs.delayMillis(failures++));
        return;
      }
      NetSocket s = ar.result();
      failures = 0;
      s.handler(frames());
      s.closeHandler(v -> {
        socket = null;
        events.disconnected();
        retry(0);
      });
      socket = s;
      events.connected();
      first.complete(null);
      if (closed) {
        s.close();
      }
    });
  }

  /** A parser of length-prefixed frames: 4 bytes of length, then that many bytes, and again. */
  private RecordParser frames() {
    RecordParser parser = RecordParser.newFixed(4);
    parser.handler(new Handler<Buffer>() {
      private boolean header = true;

      @Override
      public void handle(Buffer b) {
        if (header) {
          int length = b.getInt(0);
          if (length == 0) {
            onFrame.accept(new byte[0]);
          } else {
            header = false;
            parser.fixedSizeMode(length);
          }
        } else {
          header = true;
          parser.fixedSizeMode(4);
          onFrame.accept(b.getBytes());
        }
      }
    });
    return parser;
  }

  private void retry(long delayMillis) {
    if (closed) {
      return;
    }
    if (delayMillis <= 0) {
      connect();
    } else {
      timer = vertx.setTimer(delayMillis, id -> connect());
    }
  }

  @Override
  public void send(byte[] frame) {
    NetSocket s = socket;
    if (s != null) {
      s.write(Buffer.buffer(4 + frame.length).appendInt(frame.length).appendBytes(frame));
    }
  }

  @Override
  protected void stop() {
    long t = timer;
    if (t >= 0) {
      vertx.cancelTimer(t);
    }
    NetSocket s = socket;
    if (s != null) {
      try {
        s.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) { // closing a socket that is going anyway
        // nothing to do: the socket is closed or closing
      }
    }
  }

  /** The backoff of the peers' hand-written reconnects (Reactor's {@code Retry.backoff} shape). */
  static final class Backoffs {
    static final long INITIAL_MILLIS = 1_000;
    static final long MAX_MILLIS = 120_000;
    static final double JITTER = 0.2;

    private Backoffs() {}

    /** Delay before retry number {@code failures} (from 0): 1 s × 2^failures ±20 %, capped. */
    static long delayMillis(int failures) {
      return delayMillis(failures, ThreadLocalRandom.current().nextDouble(-1, 1));
    }

    /** As {@link #delayMillis(int)} with {@code unit} in [-1, 1) choosing the jitter. */
    static long delayMillis(int failures, double unit) {
      if (failures < 0) {
        throw new IllegalArgumentException("failures must be >= 0, but was " + failures);
      }
      double base = Math.min(MAX_MILLIS, INITIAL_MILLIS * Math.pow(2, Math.min(failures, 30)));
      return Math.min(MAX_MILLIS, Math.round(base * (1 + JITTER * unit)));
    }
  }
}
