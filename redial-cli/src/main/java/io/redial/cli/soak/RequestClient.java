package io.redial.cli.soak;

import io.redial.Connection;
import io.redial.ConnectionBuilder;
import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import io.redial.Correlation;
import io.redial.MessageConnection;
import io.redial.RedialException;
import io.redial.Session;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@link Traffic#requests()}: request/response traffic on one managed connection, on Redial's
 * request API, with a handshake on every new channel.
 *
 * <ul>
 *   <li><b>Handshake</b>: a HELLO ({@link Frames#hello}: the connection's index and the channel's
 *       generation) sent as a request through the channel's {@code Session}; the echo answers it.
 *       A reply that is not the HELLO's echo fails the handshake (a failed attempt) and counts as
 *       a wrong reply. The server checks that every socket's first frame is a HELLO
 *       ({@link ServerLedger}); this client, that every CONNECTED generation had its HELLO
 *       answered first.
 *   <li><b>Requests</b>: numbered data frames ({@link Frames#data}, attempt 0), one per tick
 *       while fewer than the window wait; the echo is the reply. {@link Correlation#byKey}: the
 *       request number is the key of both (a HELLO's key is its generation; a ping is no request).
 *       Not {@code fifo()}: the soak's blackholes drop bytes inside a live connection, which an
 *       in-order protocol cannot survive, and {@code byKey} times those requests out instead.
 *   <li><b>Checks</b>: a reply whose content is not its request's is a wrong reply; so is an echo
 *       handed to {@code onMessage} while its request still waits. Every failure must be a
 *       {@link RedialException} of CONNECTION_LOST, REQUEST_TIMEOUT, QUEUE_FULL, QUEUE_TIMEOUT, or
 *       CONNECTION_CLOSED once the soak is closing; any other is unexplained. A request whose
 *       future never completes is hung. An echo of a request never sent (or that failed with
 *       QUEUE_FULL or QUEUE_TIMEOUT, so never written) is corrupt; a second echo of an answered
 *       request is a duplicate.
 *   <li><b>Re-sends</b>: a request that failed with CONNECTION_LOST (it may or may not have been
 *       applied) is made again by this client, as a new request with a new number, at its next
 *       tick; Redial itself never re-sends it.
 * </ul>
 *
 * <p>Thread-safety: synchronized; written by the connection's event loop (replies, messages,
 * events, the handshake) and the soak's thread (requests). The lock is held around bookkeeping
 * and {@code request}, which never blocks.
 */
final class RequestClient implements Traffic.Client {
  /** Each request's deadline, queue time included. */
  static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1_200);
  /** A request waiting longer than this in the offline queue fails with QUEUE_TIMEOUT. */
  static final Duration QUEUE_TIMEOUT = Duration.ofSeconds(1);
  /** The HELLO's deadline (the connect timeout bounds the handshake as well). */
  static final Duration HELLO_TIMEOUT = Duration.ofSeconds(1);

  private final int index;
  private final Traffic.Context context;
  private MessageConnection<byte[]> connection;
  private long nextSeq;
  private int window = 1;
  /** Requests made, without an outcome yet. */
  private final Map<Long, CompletableFuture<byte[]>> open = new HashMap<>();
  private final BitSet replied = new BitSet();
  /** Requests that failed with QUEUE_FULL or QUEUE_TIMEOUT: never written. */
  private final BitSet neverSent = new BitSet();
  private int resendsDue;
  private boolean closing;
  private long handshakenGeneration = -1;
  private long sent;
  private long resent;
  private long replies;
  private long wrongReplies;
  private long unexplained;
  private long connectionLost;
  private long requestTimeout;
  private long queueFull;
  private long queueTimeout;
  private long connectionClosed;
  private long handshakes;
  private long notHandshaken;
  private long lateReplies;
  private long duplicated;
  private long corrupt;
  private String example;

  RequestClient(int index, Traffic.Context context) {
    this.index = index;
    this.context = context;
  }

  /** The correlation key of a frame: a data frame's number, a HELLO's generation; else null. */
  static Object key(byte[] message) {
    Frames.Frame f = Frames.parse(message);
    if (f == null || f.isPing()) {
      return null;
    }
    return f.isHello() ? "hello " + f.seq() : (Object) f.seq();
  }

  @Override
  public ConnectionBuilder configure(ConnectionBuilder builder) {
    return builder.handshake(this::handshake)
        .correlation(Correlation.byKey(RequestClient::key, RequestClient::key))
        .queueTimeout(QUEUE_TIMEOUT);
  }

  @Override
  public void attach(Connection c) {
    attach((MessageConnection<byte[]>) c);
  }

  /** As {@link #attach(Connection)}, for any connection of byte[] frames. */
  synchronized void attach(MessageConnection<byte[]> c) {
    this.connection = c;
  }

  /** The handshake: a HELLO on the new channel, answered by its echo. */
  CompletionStage<?> handshake(Session<byte[]> session) {
    long gen = session.generation();
    byte[] hello = Frames.hello(index, gen);
    return session.request(hello, HELLO_TIMEOUT).thenAccept(reply -> answered(gen, hello, reply));
  }

  private synchronized void answered(long gen, byte[] hello, byte[] reply) {
    if (!Arrays.equals(hello, reply)) {
      wrongReplies++;
      throw new IllegalStateException("connection " + index + " generation " + gen
          + ": the HELLO was answered by " + Frames.parse(reply));
    }
    handshakes++;
    handshakenGeneration = gen;
  }

  @Override
  public synchronized void tick(int window) {
    this.window = window;
    repair();
    if (connection != null && !closing && open.size() < window && nextSeq <= Frames.MAX_SEQ) {
      request();
    }
  }

  /** Makes again, as new requests, those that failed with CONNECTION_LOST. */
  @Override
  public synchronized void repair() {
    while (resendsDue > 0 && connection != null && !closing && open.size() < window
        && nextSeq <= Frames.MAX_SEQ) {
      resendsDue--;
      resent++;
      request();
    }
  }

  private void request() {
    long seq = nextSeq++;
    CompletableFuture<byte[]> f;
    try {
      f = connection.request(Frames.data(index, seq, 0), REQUEST_TIMEOUT);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e); // judged like a failed future
    }
    sent++;
    open.put(seq, context.track(f));
    f.whenComplete((reply, error) -> done(seq, reply, error)); // at once if done: after put
  }

  private synchronized void done(long seq, byte[] reply, Throwable error) {
    open.remove(seq);
    if (error == null) {
      Frames.Frame r = reply == null ? null : Frames.parse(reply);
      if (r == null || r.type() != Frames.DATA || r.connection() != index || r.seq() != seq
          || r.attempt() != 0) {
        wrongReplies++;
      } else {
        replies++;
        replied.set((int) seq);
      }
      return;
    }
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    String kind = cause instanceof RedialException re ? re.error().name() : "";
    switch (kind) {
      case "CONNECTION_LOST" -> {
        connectionLost++;
        resendsDue++;
      }
      case "REQUEST_TIMEOUT" -> requestTimeout++;
      case "QUEUE_FULL" -> {
        queueFull++;
        neverSent.set((int) seq);
      }
      case "QUEUE_TIMEOUT" -> {
        queueTimeout++;
        neverSent.set((int) seq);
      }
      case "CONNECTION_CLOSED" -> {
        if (closing) {
          connectionClosed++;
        } else {
          unexplained(cause);
        }
      }
      default -> unexplained(cause);
    }
  }

  private void unexplained(Throwable cause) {
    unexplained++;
    if (example == null) {
      example = String.valueOf(cause);
    }
  }

  @Override
  public synchronized void onMessage(byte[] payload) {
    Frames.Frame f = Frames.parse(payload);
    if (f == null || f.connection() != index) {
      corrupt++;
      return;
    }
    if (f.isPing() || f.isHello()) {
      return; // a ping's echo; a HELLO's after its handshake gave up
    }
    int seq = (int) f.seq();
    if (f.seq() >= nextSeq || neverSent.get(seq) || f.attempt() != 0) {
      corrupt++; // an echo of a request never sent
    } else if (open.containsKey(f.seq())) {
      wrongReplies++; // its request waits, yet the reply was handed to no request
    } else if (replied.get(seq)) {
      duplicated++;
    } else {
      lateReplies++; // its request failed first (timed out): consumed here, by nobody
    }
  }

  @Override
  public synchronized void onEvent(ConnectionEvent event) {
    if (event instanceof ConnectionEvent.StateChanged sc && sc.to() == ConnectionState.CONNECTED
        && sc.generation() != handshakenGeneration) {
      notHandshaken++;
    }
  }

  @Override
  public synchronized void closing() {
    closing = true;
  }

  @Override
  public synchronized boolean idle() {
    return open.isEmpty() && (resendsDue == 0 || closing);
  }

  @Override
  public synchronized Tally tally() {
    long failures = connectionLost + requestTimeout + queueFull + queueTimeout + connectionClosed
        + unexplained;
    return new Tally(sent, replies, 0, duplicated, 0, corrupt, resent, failures, 0, 0);
  }

  @Override
  public synchronized Optional<RequestTally> requests() {
    return Optional.of(new RequestTally(sent, resent, replies, wrongReplies, open.size(), unexplained,
        connectionLost, requestTimeout, queueFull, queueTimeout, connectionClosed, handshakes,
        notHandshaken, lateReplies, example));
  }
}
