package io.redial.bench.internal;

import io.redial.Connection;
import io.redial.ConnectionBuilder;
import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import io.redial.Redial;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Redial with its defaults ({@code Backoff.exponential()}: 1 s ×1.6 ±20 %, length-prefixed
 * framing, the offline queue) on the caller's event-loop group.
 */
final class RedialKind implements ClientKind {
  static final RedialKind INSTANCE = new RedialKind();

  private RedialKind() {}

  @Override
  public String name() {
    return REDIAL;
  }

  @Override
  public String label() {
    return "Redial";
  }

  @Override
  public String reconnect() {
    return "built in: Backoff.exponential() (1 s ×1.6 ±20 %, cap 120 s), first retry 1 s after"
        + " the loss";
  }

  @Override
  public String offline() {
    return "queued (offline queue, default 10 000 frames / 16 MiB) and sent in order after the"
        + " reconnect";
  }

  @Override
  public Opener opener(Loops loops, Consumer<byte[]> onFrame, Events events) {
    return address -> {
      ConnectionBuilder b = Redial.connection("bench")
          .endpoint(address)
          .eventLoopGroup(loops.group())
          .onMessage(onFrame);
      if (events != Events.NONE) {
        b.listener(e -> report(e, events));
      }
      return new Managed(b.build());
    };
  }

  private static void report(ConnectionEvent event, Events events) {
    if (event instanceof ConnectionEvent.AttemptStarted) {
      events.attempt();
    } else if (event instanceof ConnectionEvent.StateChanged s) {
      if (s.to() == ConnectionState.CONNECTED) {
        events.connected();
      } else if (s.from() == ConnectionState.CONNECTED) {
        events.disconnected();
      }
    }
  }

  /** Redial: {@code send} hops onto the loop and flushes once per loop turn by itself. */
  static final class Managed implements BenchClient {
    private final Connection connection;
    private final CompletableFuture<Void> first;

    Managed(Connection connection) {
      this.connection = connection;
      this.first = connection.connect().thenApply(c -> null);
    }

    @Override
    public void send(byte[] frame) {
      connection.send(frame);
    }

    @Override
    public void flush() {
      // Redial flushes on its own (once per event-loop turn)
    }

    @Override
    public CompletableFuture<Void> firstConnect() {
      return first;
    }

    @Override
    public void close() {
      connection.close();
    }

    @Override
    public String toString() {
      return "redial " + connection.generation();
    }
  }
}
