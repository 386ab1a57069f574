package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import io.redial.ConnectionStats;
import io.redial.MessageConnection;
import io.redial.RedialException;
import io.redial.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The request mode's checks, fed by hand: a fake connection whose request futures the test
 * completes (right reply, wrong reply, each kind of failure, never), a fake session for the
 * handshake, and connection events.
 */
class RequestClientTest {
  private static final int INDEX = 4;
  private final AtomicLong openFutures = new AtomicLong();
  private final RequestClient client =
      new RequestClient(INDEX, new Traffic.Context(() -> 0L, openFutures));
  private final FakeConnection connection = new FakeConnection();

  RequestClientTest() {
    client.attach(connection);
  }

  /** A request made and not yet answered. */
  private record Pending(byte[] message, CompletableFuture<byte[]> future) {}

  /** Records requests; every other method is not used by the client. */
  private static final class FakeConnection implements MessageConnection<byte[]> {
    final List<Pending> requests = new ArrayList<>();

    @Override
    public CompletableFuture<byte[]> request(byte[] message, Duration timeout) {
      assertThat(timeout).isEqualTo(RequestClient.REQUEST_TIMEOUT);
      CompletableFuture<byte[]> f = new CompletableFuture<>();
      requests.add(new Pending(message, f));
      return f;
    }

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public ConnectionState state() {
      return ConnectionState.CONNECTED;
    }

    @Override
    public long generation() {
      return 1;
    }

    @Override
    public CompletableFuture<? extends MessageConnection<byte[]>> connect() {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> send(byte[] message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean awaitState(ConnectionState state, Duration timeout) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void resetBackoff() {}

    @Override
    public void reconnect() {}

    @Override
    public ConnectionStats stats() {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  /** A session of one generation whose requests the test answers. */
  private static final class FakeSession implements Session<byte[]> {
    final long generation;
    final List<Pending> requests = new ArrayList<>();

    FakeSession(long generation) {
      this.generation = generation;
    }

    @Override
    public long generation() {
      return generation;
    }

    @Override
    public CompletableFuture<Void> send(byte[] message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<byte[]> request(byte[] message, Duration timeout) {
      CompletableFuture<byte[]> f = new CompletableFuture<>();
      requests.add(new Pending(message, f));
      return f;
    }
  }

  private static RedialException error(String name) {
    return RedialException.of(name, "test");
  }

  private RequestTally tally() {
    return client.requests().orElseThrow();
  }

  private static ConnectionEvent connected(long gen) {
    return new ConnectionEvent.StateChanged("fake", ConnectionState.CONNECTING,
        ConnectionState.CONNECTED, gen, null);
  }

  /** Makes {@code n} requests, one per tick. */
  private void ticks(int n) {
    for (int i = 0; i < n; i++) {
      client.tick(64);
    }
  }

  @Test
  void aReplyWithItsRequestsContentIsCounted() {
    ticks(3);
    assertThat(connection.requests).hasSize(3);
    for (Pending p : connection.requests) {
      assertThat(RequestClient.key(p.message)).isEqualTo(Frames.parse(p.message).seq());
      p.future.complete(p.message.clone());
    }
    RequestTally t = tally();
    assertThat(t.sent()).isEqualTo(3);
    assertThat(t.replies()).isEqualTo(3);
    assertThat(t.wrongReplies() + t.hung() + t.unexplained()).isZero();
    assertThat(client.idle()).isTrue();
    assertThat(openFutures).hasValue(0);
  }

  @Test
  void aReplyWithAnotherRequestsContentIsAWrongReply() {
    ticks(2);
    Pending first = connection.requests.get(0);
    Pending second = connection.requests.get(1);
    first.future.complete(second.message.clone()); // the second's echo handed to the first
    second.future.complete(Frames.data(INDEX + 1, 1, 0)); // another connection's frame
    assertThat(tally().wrongReplies()).isEqualTo(2);
    assertThat(tally().replies()).isZero();
  }

  @Test
  void anEchoReachingOnMessageWhileItsRequestWaitsIsAWrongReply() {
    ticks(1);
    Pending p = connection.requests.get(0);
    client.onMessage(p.message.clone());
    assertThat(tally().wrongReplies()).isEqualTo(1);
    assertThat(tally().lateReplies()).isZero();
  }

  @Test
  void aRequestNeverCompletedIsHung() {
    ticks(2);
    connection.requests.get(0).future.complete(connection.requests.get(0).message.clone());
    assertThat(tally().hung()).isEqualTo(1);
    assertThat(client.idle()).isFalse();
  }

  @Test
  void failuresWithoutAClearErrorAreCountedAsUnexplained() {
    ticks(3);
    connection.requests.get(0).future.completeExceptionally(new IllegalStateException("boom"));
    connection.requests.get(1).future.completeExceptionally(error("HANDSHAKE_FAILED"));
    // CONNECTION_CLOSED is clear only once the soak is closing.
    connection.requests.get(2).future.completeExceptionally(error("CONNECTION_CLOSED"));
    RequestTally t = tally();
    assertThat(t.unexplained()).isEqualTo(3);
    assertThat(t.example()).contains("boom");
    assertThat(t.failed()).isZero();
  }

  @Test
  void eachClearFailureIsCountedAndOnlyALostConnectionIsMadeAgain() {
    ticks(5);
    List<Pending> p = List.copyOf(connection.requests);
    p.get(0).future.completeExceptionally(error("CONNECTION_LOST"));
    p.get(1).future.completeExceptionally(error("REQUEST_TIMEOUT"));
    p.get(2).future.completeExceptionally(error("QUEUE_FULL"));
    p.get(3).future.completeExceptionally(error("QUEUE_TIMEOUT"));
    assertThat(client.idle()).as("a re-send is due").isFalse();
    client.repair();
    assertThat(connection.requests).hasSize(6);
    Pending again = connection.requests.get(5);
    assertThat(Frames.parse(again.message).seq()).as("a new request, a new number").isEqualTo(5);
    client.closing();
    p.get(4).future.completeExceptionally(error("CONNECTION_CLOSED"));
    again.future.completeExceptionally(error("CONNECTION_LOST"));
    client.tick(64);
    assertThat(connection.requests).as("nothing made once closing").hasSize(6);
    RequestTally t = tally();
    assertThat(t).isEqualTo(new RequestTally(6, 1, 0, 0, 0, 0, 2, 1, 1, 1, 1, 0, 0, 0, null));
    assertThat(client.idle()).isTrue();
  }

  @Test
  void echoesOfRequestsNeverSentAreCorruptAndLateOnesAreCountedApart() {
    ticks(3);
    List<Pending> p = List.copyOf(connection.requests);
    p.get(0).future.completeExceptionally(error("REQUEST_TIMEOUT"));
    p.get(1).future.completeExceptionally(error("QUEUE_TIMEOUT"));
    p.get(2).future.complete(p.get(2).message.clone());
    client.onMessage(p.get(0).message.clone()); // late: after its timeout
    client.onMessage(p.get(1).message.clone()); // Redial said it was never written
    client.onMessage(Frames.data(INDEX, 99, 0)); // never made
    client.onMessage(p.get(2).message.clone()); // answered already
    client.onMessage(Frames.ping(INDEX)); // the heartbeat's echo: fine
    assertThat(tally().lateReplies()).isEqualTo(1);
    assertThat(client.tally().corrupt()).isEqualTo(2);
    assertThat(client.tally().duplicated()).isEqualTo(1);
    assertThat(RequestClient.key(Frames.ping(INDEX))).as("a ping is no request").isNull();
  }

  @Test
  void theWindowBoundsWaitingRequests() {
    for (int i = 0; i < 10; i++) {
      client.tick(4);
    }
    assertThat(connection.requests).hasSize(4);
  }

  @Test
  void theHandshakeIsAHelloAnsweredByItsEchoBeforeConnected() throws Exception {
    FakeSession s = new FakeSession(7);
    CompletionStage<?> done = client.handshake(s);
    assertThat(s.requests).hasSize(1);
    byte[] hello = s.requests.get(0).message;
    assertThat(Frames.parse(hello)).isEqualTo(new Frames.Frame(Frames.HELLO, INDEX, 7, 0));
    assertThat(RequestClient.key(hello)).isNotEqualTo(RequestClient.key(Frames.data(INDEX, 7, 0)));
    s.requests.get(0).future.complete(hello.clone());
    done.toCompletableFuture().get();
    client.onEvent(connected(7));
    assertThat(tally().handshakes()).isEqualTo(1);
    assertThat(tally().notHandshaken()).isZero();

    client.onEvent(connected(8)); // generation 8 never said HELLO
    assertThat(tally().notHandshaken()).isEqualTo(1);
  }

  @Test
  void aHelloAnsweredByAnythingElseFailsTheHandshake() {
    FakeSession s = new FakeSession(3);
    CompletionStage<?> done = client.handshake(s);
    s.requests.get(0).future.complete(Frames.hello(INDEX, 2)); // an older generation's
    assertThat(done.toCompletableFuture()).isCompletedExceptionally();
    assertThat(tally().wrongReplies()).isEqualTo(1);
    assertThat(tally().handshakes()).isZero();
    client.onEvent(connected(3));
    assertThat(tally().notHandshaken()).isEqualTo(1);
  }
}
