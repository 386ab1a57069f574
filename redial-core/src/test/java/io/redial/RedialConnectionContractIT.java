package io.redial;

import io.redial.testkit.ClientAdapter;
import io.redial.testkit.ReconnectContract;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Redial's own {@link Connection} passes the contract it ships. The backoff is capped low because
 * the cycle scenario flaps the connection a hundred times: a connection that never stays up for
 * {@code stableAfter} keeps its backoff growing, by design. It lives in core's tests (the kit does
 * not depend on core) and reports the retry delays Redial planned, so the contract judges backoff
 * growth from them.
 */
class RedialConnectionContractIT extends ReconnectContract {
  @Override
  protected ClientAdapter newClient(InetSocketAddress target) {
    BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    List<Duration> delays = new CopyOnWriteArrayList<>();
    Connection connection = Redial.connection("contract")
        .endpoint(target)
        .backoff(Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(100), 2.0, 0.0))
        .connectTimeout(Duration.ofSeconds(2))
        .heartbeat(Heartbeat.every(Duration.ofMillis(100), Duration.ofMillis(500),
            "ping".getBytes(StandardCharsets.US_ASCII)))
        .onMessage(inbox::add)
        .listener(event -> {
          if (event instanceof ConnectionEvent.AttemptFailed failed) {
            failed.nextDelay().ifPresent(delays::add);
          }
        })
        .build();
    return new ClientAdapter() {
      @Override
      public void connect() {
        connection.connect();
      }

      @Override
      public boolean isConnected() {
        return connection.state() == ConnectionState.CONNECTED;
      }

      @Override
      public void send(byte[] frame) throws Exception {
        connection.send(frame).get(5, TimeUnit.SECONDS);
      }

      @Override
      public byte[] receive(Duration timeout) throws InterruptedException {
        return inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }

      @Override
      public Duration blackholeDetectionBound() {
        return Duration.ofSeconds(2);
      }

      @Override
      public long connectAttempts() {
        return connection.stats().attempts();
      }

      @Override
      public List<Duration> plannedRetryDelays() {
        return List.copyOf(delays);
      }

      @Override
      public void close() {
        connection.close();
      }
    };
  }
}
