package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redial.internal.ManagedConnection;
import io.redial.testing.HostilePeer;
import io.redial.testing.Recorder;
import java.io.DataOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile peer must not make the client allocate without bound: oversized frames are refused
 * as soon as their size is known, the channel closes with a clear error, the connection
 * reconnects, and what the decoder held stays under the configured maximum.
 */
class HostilePeerIT {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private HostilePeer peer(HostilePeer.Behaviour b) throws Exception {
    HostilePeer p = new HostilePeer(b);
    toClose.add(p);
    return p;
  }

  private Connection connect(HostilePeer peer, Recorder rec, Framing framing, Heartbeat hb)
      throws Exception {
    ConnectionBuilder b = Redial.connection("victim")
        .endpoint(peer.address())
        .framing(framing)
        .backoff(Backoff.fixed(Duration.ofMillis(100)))
        .listener(rec);
    if (hb != null) {
      b.heartbeat(hb);
    }
    Connection c = b.build();
    toClose.add(c);
    c.connect().get(10, TimeUnit.SECONDS);
    return c;
  }

  private static RedialException firstLoss(Recorder rec) {
    return rec.transitions().stream()
        .filter(t -> t.from() == ConnectionState.CONNECTED)
        .findFirst().orElseThrow().cause();
  }

  @Test
  void aTwoGigabyteLengthPrefixIsRefusedBeforeAnythingIsBuffered() throws Exception {
    HostilePeer peer = peer((socket, out) -> {
      DataOutputStream data = new DataOutputStream(out);
      data.writeInt(Integer.MAX_VALUE); // "2 GiB follow"
      byte[] chunk = new byte[64 * 1024];
      for (int i = 0; i < 64; i++) { // then 4 MiB of it, or until the client hangs up
        data.write(chunk);
      }
      data.flush();
    });
    Recorder rec = new Recorder();
    Connection c = connect(peer, rec, Framing.lengthPrefixed(), null);
    await().atMost(Duration.ofSeconds(10)).until(() -> peer.accepted() >= 2);
    RedialException cause = firstLoss(rec);
    assertThat(cause.error().name()).isEqualTo("FRAME_TOO_LARGE");
    assertThat(cause).hasMessageContaining("over the maximum of 16777216 bytes");
    assertThat(((ManagedConnection) c).decoderHighWater()).isLessThan(64 * 1024);
    assertThat(c.stats().framesReceived()).isZero();
  }

  @Test
  void aHundredMegabyteLineWithoutNewlineIsCutAtTheMaximum() throws Exception {
    HostilePeer peer = peer((socket, out) -> {
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) 'a');
      for (int i = 0; i < 1_600; i++) { // 100 MiB, or until the client hangs up
        out.write(chunk);
      }
      out.flush();
    });
    Recorder rec = new Recorder();
    Connection c = connect(peer, rec, Framing.lines(1024), null);
    await().atMost(Duration.ofSeconds(20)).until(() -> peer.accepted() >= 2);
    RedialException cause = firstLoss(rec);
    assertThat(cause.error().name()).isEqualTo("FRAME_TOO_LARGE");
    assertThat(cause).hasMessageContaining("Framing.lines(1024)");
    assertThat(((ManagedConnection) c).decoderHighWater()).isLessThanOrEqualTo(1024);
  }

  @Test
  void oneBytePerSecondNeverCompletesAFrameAndTheHeartbeatCatchesIt() throws Exception {
    HostilePeer peer = peer((socket, out) -> {
      // 0,0,0,100 then payload bytes, one a second: a frame that never ends
      var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
      var done = new java.util.concurrent.CountDownLatch(1);
      int[] sent = {0};
      timer.scheduleAtFixedRate(() -> {
        try {
          out.write(sent[0]++ < 3 ? 0 : 100);
          out.flush();
        } catch (java.io.IOException e) {
          done.countDown(); // the client hung up
        }
      }, 0, 1, TimeUnit.SECONDS);
      try {
        done.await(30, TimeUnit.SECONDS);
      } finally {
        timer.shutdownNow();
      }
    });
    Recorder rec = new Recorder();
    Connection c = connect(peer, rec, Framing.lengthPrefixed(),
        Heartbeat.every(Duration.ofMillis(500), Duration.ofMillis(500), new byte[] {1}));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !rec.of(ConnectionEvent.HeartbeatMissed.class).isEmpty());
    await().atMost(Duration.ofSeconds(10)).until(() -> peer.accepted() >= 2);
    assertThat(firstLoss(rec).error().name()).isEqualTo("HEARTBEAT_TIMEOUT");
    assertThat(((ManagedConnection) c).decoderHighWater()).isLessThanOrEqualTo(8);
    assertThat(c.stats().framesReceived()).isZero();
  }

  @Test
  void aResetInTheMiddleOfAFrameDeliversNothingAndReconnects() throws Exception {
    List<byte[]> got = new CopyOnWriteArrayList<>();
    HostilePeer peer = peer((socket, out) -> {
      DataOutputStream data = new DataOutputStream(out);
      data.writeInt(1);
      data.write(7); // one whole frame
      data.writeInt(1_000);
      data.write(new byte[10]); // then 10 of 1000 bytes
      data.flush();
      socket.setSoLinger(true, 0); // and a reset
    });
    Recorder rec = new Recorder();
    Connection c = Redial.connection("victim").endpoint(peer.address())
        .backoff(Backoff.fixed(Duration.ofMillis(100))).listener(rec)
        .onMessage(got::add).build();
    toClose.add(c);
    c.connect().get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> peer.accepted() >= 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() >= 2);
    assertThat(got).allSatisfy(f -> assertThat(f).containsExactly(7));
    assertThat(firstLoss(rec).error().name()).isIn("WSAECONNRESET", "CHANNEL_CLOSED");
  }
}
