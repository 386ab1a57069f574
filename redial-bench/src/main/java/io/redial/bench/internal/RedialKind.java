package io.redial.bench.internal;

import io.redial.Connection;
import io.redial.ConnectionBuilder;
import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import io.redial.Redial;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Redial with its defaults ({@code Backoff.exponential()}: 1 s ×1.6 ±20 %, length-prefixed
 * framing, the offline queue) on the caller's event-loop group.
 */
final class RedialKind {
  static final ClientKind KIND = new ClientKind(ClientKind.REDIAL, "Redial",
      "built in: Backoff.exponential() (1 s ×1.6 ±20 %, cap 120 s), first retry 1 s after the loss",
      "queued (offline queue, default 10 000 frames / 16 MiB) and sent in order after the"
          + " reconnect",
      RedialKind::opener);

  private RedialKind() {}

  private static ClientKind.Opener opener(Loops loops, Consumer<byte[]> onFrame, Events events) {
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
