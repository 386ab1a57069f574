package io.redial.testkit;

import io.redial.Backoff;
import io.redial.Connection;
import io.redial.ConnectionState;
import io.redial.Heartbeat;
import io.redial.Redial;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Redial's own {@link Connection} passes the contract it ships. The backoff is capped low because
 * the cycle scenario flaps the connection a hundred times: a connection that never stays up for
 * {@code stableAfter} keeps its backoff growing, by design.
 */
class RedialConnectionContractIT extends ReconnectContract {
  @Override
  protected ClientAdapter newClient(InetSocketAddress target) {
    BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    Connection connection = Redial.connection("contract")
        .endpoint(target)
        .backoff(Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(100), 2.0, 0.0))
        .connectTimeout(Duration.ofSeconds(2))
        .heartbeat(Heartbeat.every(Duration.ofMillis(100), Duration.ofMillis(500),
            "ping".getBytes(StandardCharsets.US_ASCII)))
        .onMessage(inbox::add)
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
      public void close() {
        connection.close();
      }
    };
  }
}
