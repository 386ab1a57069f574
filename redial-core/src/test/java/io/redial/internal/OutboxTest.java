package io.redial.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.util.ReferenceCountUtil;
import io.redial.Codec;
import io.redial.ConnectionState;
import io.redial.Redial;
import io.redial.RedialException;
import io.redial.TestConfigs;
import io.redial.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The send queue on its own, on Netty's EmbeddedChannel with a manual clock: admission, order,
 * replay of unwritten messages exactly once, deadlines, space waiters, codec failures and the
 * release of every reference-counted message exactly once.
 */
class OutboxTest {
  private final ManualClock clock = new ManualClock();
  private final Counters counters = new Counters();
  private final List<Long> writeFailures = new ArrayList<>();
  private int idles;

  private final Outbox.Listener listener = new Outbox.Listener() {
    @Override
    public void writeFailed(long gen, Throwable cause) {
      writeFailures.add(gen);
    }

    @Override
    public void idle() {
      idles++;
    }
  };

  private Outbox<byte[]> frames(io.redial.ConnectionBuilder b) {
    var config = TestConfigs.of(b.endpoint("127.0.0.1", 1));
    return new Outbox<>(config, clock, clock, counters, null, listener);
  }

  private Outbound<byte[]> frame(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return new Outbound<>(bytes, bytes.length, clock.nanoTime(), false, null, false);
  }

  /**
   * A channel of generation {@code gen} whose pipeline is a connection's: {@code socket} (the
   * transport; null: the embedded one), the {@link WriteBatcher} reporting to {@code box}, then
   * {@code codec} (null: none).
   */
  private static EmbeddedChannel channel(Outbox<?> box, long gen, ChannelHandler socket,
      ChannelHandler codec) {
    EmbeddedChannel ch = new EmbeddedChannel();
    if (socket != null) {
      ch.pipeline().addLast(socket);
    }
    ch.pipeline().addLast(WriteBatcher.NAME, new WriteBatcher(gen, new WriteBatcher.Sink() {
      @Override
      public void messagesWritten(long g, int count) {
        box.written(g, count);
      }

      @Override
      public void batchFailed(long g, Throwable cause) {
        box.batchFailed(g, cause);
      }
    }, false));
    if (codec != null) {
      ch.pipeline().addLast(codec);
    }
    return ch;
  }

  /** The payloads written to the channel, in order (length-prefixed frames, batched or not). */
  private static List<String> written(EmbeddedChannel ch) {
    List<String> out = new ArrayList<>();
    ByteBuf buf;
    while ((buf = ch.readOutbound()) != null) {
      while (buf.isReadable()) {
        int len = buf.readInt();
        out.add(buf.readCharSequence(len, StandardCharsets.UTF_8).toString());
      }
      buf.release();
    }
    return out;
  }

  @Test
  void queuedWhileDisconnectedThenWrittenInOrderOnOpen() {
    Outbox<byte[]> box = frames(Redial.connection("t"));
    List<Outbound<byte[]>> sent = List.of(frame("a"), frame("b"), frame("c"));
    sent.forEach(box::offer);
    assertThat(box.queued()).isEqualTo(3);
    assertThat(counters.snapshot().queuedFrames()).isEqualTo(3);
    assertThat(sent).noneMatch(Outbound::done);

    EmbeddedChannel ch = channel(box, 1, null, null);
    box.open(ch, 1);
    assertThat(written(ch)).containsExactly("a", "b", "c");
    assertThat(sent).allMatch(m -> m.future.isDone() && !m.future.isCompletedExceptionally());
    assertThat(counters.snapshot().framesSent()).isEqualTo(3);
    assertThat(counters.snapshot().queuedFrames()).isZero();
    assertThat(idles).isPositive();
    ch.finishAndReleaseAll();
  }

  @Test
  void admissionRefusesWithTheRuleThatRefused() {
    Outbox<byte[]> box = frames(Redial.connection("t").offlineQueue(2, 100));
    box.offer(frame("1"));
    box.offer(frame("2"));
    Outbound<byte[]> third = frame("3");
    box.offer(third);
    assertThatThrownBy(third.future::join).cause().isInstanceOf(RedialException.class)
        .hasMessageContaining("offline queue is full").hasMessageContaining("maxFrames 2");
    assertThat(box.queued()).as("queued frames kept").isEqualTo(2);

    Outbox<byte[]> reject = frames(Redial.connection("t").rejectWhileDisconnected());
    Outbound<byte[]> m = frame("x");
    reject.offer(m);
    assertThat(((RedialException) m.future.handle((v, t) -> t).join()).error().name())
        .isEqualTo("WSAENOTCONN");

    box.state(ConnectionState.CLOSING);
    Outbound<byte[]> late = frame("late");
    box.offer(late);
    assertThatThrownBy(late.future::join).hasMessageContaining("CONNECTION_CLOSED");
  }

  /**
   * A socket whose kernel takes nothing: writes stay pending (the promise never completes) and
   * the channel's reference to each message is kept until {@link #releaseHeld}.
   */
  static final class Stuck extends ChannelOutboundHandlerAdapter {
    final List<Object> held = new ArrayList<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      held.add(msg);
    }

    void releaseHeld() {
      held.forEach(ReferenceCountUtil::release);
      held.clear();
    }
  }

  @Test
  void writesNotCompletedWhenTheChannelDiedGoOutOnceOnTheNextInOrder() {
    Outbox<byte[]> box = frames(Redial.connection("t"));
    Stuck stuck = new Stuck();
    EmbeddedChannel first = channel(box, 1, stuck, null);
    box.open(first, 1);
    Outbound<byte[]> a = frame("a");
    Outbound<byte[]> b = frame("b");
    box.offer(a); // handed to the channel, never completed
    box.offer(b);
    assertThat(box.inflight()).isEqualTo(2);
    box.detach(1);
    Outbound<byte[]> c = frame("c"); // sent after the channel was condemned: queued
    box.offer(c);
    first.close();
    stuck.releaseHeld(); // the dead socket's buffers
    box.channelClosed(1);
    assertThat(a.done() || b.done()).as("no future completes for an unwritten frame").isFalse();
    assertThat(box.queued()).isEqualTo(3);

    EmbeddedChannel second = channel(box, 2, null, null);
    box.open(second, 2);
    assertThat(written(second)).containsExactly("a", "b", "c");
    assertThat(List.of(a, b, c)).allMatch(m -> m.future.isDone());
    assertThat(counters.snapshot().framesSent()).isEqualTo(3);
    assertThat(writeFailures).as("a closed channel is no write failure to report").isEmpty();
    second.finishAndReleaseAll();
  }

  @Test
  void aQueuedMessageOlderThanQueueTimeoutFailsTheYoungerWait() {
    Outbox<byte[]> box = frames(Redial.connection("t").queueTimeout(Duration.ofSeconds(2)));
    Outbound<byte[]> old = frame("old");
    box.offer(old);
    clock.advance(Duration.ofMillis(1_500));
    Outbound<byte[]> young = frame("young");
    box.offer(young);
    clock.advance(Duration.ofMillis(499));
    assertThat(old.done()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThatThrownBy(old.future::join).hasMessageContaining("QUEUE_TIMEOUT")
        .hasMessageContaining("over queueTimeout 2000 ms");
    assertThat(young.done()).isFalse();
    assertThat(clock.pending()).containsExactly(Duration.ofMillis(1_500));
    EmbeddedChannel ch = channel(box, 1, null, null);
    box.open(ch, 1);
    assertThat(written(ch)).containsExactly("young");
    assertThat(clock.pending()).as("no timer without a queued message").isEmpty();
    ch.finishAndReleaseAll();
  }

  @Test
  void aFullQueueCanMakeMessagesWaitForSpaceInOrderBounded() {
    Outbox<byte[]> box = frames(Redial.connection("t").offlineQueue(1, 100)
        .queueFullWait(Duration.ofSeconds(1)));
    box.offer(frame("1"));
    Outbound<byte[]> second = frame("2");
    Outbound<byte[]> third = frame("3");
    box.offer(second);
    clock.advance(Duration.ofMillis(600));
    box.offer(third);
    assertThat(second.done()).isFalse();
    EmbeddedChannel ch = channel(box, 1, null, null);
    box.open(ch, 1); // writes "1", which frees space for "2", then "3"
    assertThat(written(ch)).containsExactly("1", "2", "3");

    Outbox<byte[]> stuck = frames(Redial.connection("t").offlineQueue(1, 100)
        .queueFullWait(Duration.ofSeconds(1)));
    stuck.offer(frame("1"));
    Outbound<byte[]> waits = frame("2");
    stuck.offer(waits);
    clock.advance(Duration.ofMillis(999));
    assertThat(waits.done()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThatThrownBy(waits.future::join).hasMessageContaining("QUEUE_FULL")
        .hasMessageContaining("after waiting 1000 ms for space");
    ch.finishAndReleaseAll();
  }

  // ---- typed, reference-counted messages --------------------------------------------------------

  /** Writes a ByteBuf message as is; refuses a message whose first byte is 0 (a codec failure). */
  private static final class PickyEncoder extends MessageToByteEncoder<ByteBuf> {
    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, ByteBuf out) {
      if (msg.getByte(msg.readerIndex()) == 0) {
        throw new IllegalArgumentException("0 is not allowed");
      }
      out.writeBytes(msg);
    }
  }

  private Outbox<ByteBuf> buffers() {
    var config = TestConfigs.of(Redial.connection("typed", Codec.netty(ByteBuf.class, p -> {}))
        .endpoint("127.0.0.1", 1));
    return new Outbox<>(config, clock, clock, counters, null, listener);
  }

  private Outbound<ByteBuf> buf(int first) {
    ByteBuf b = Unpooled.buffer(4).writeByte(first).writeByte(9);
    return new Outbound<>(b, 2, clock.nanoTime(), false, null, false);
  }

  @Test
  void everyReferenceCountedMessageIsReleasedExactlyOnceOnEveryPath() {
    Outbox<ByteBuf> box = buffers();
    // written
    EmbeddedChannel ch = channel(box, 1, null, new PickyEncoder());
    box.open(ch, 1);
    Outbound<ByteBuf> ok = buf(1);
    box.offer(ok);
    ch.runPendingTasks(); // the scheduled flush
    assertThat(ok.future).isCompleted();
    assertThat(ok.message.refCnt()).as("written: the channel's and our reference gone").isZero();

    // refused by the encoder: that message fails, the channel goes on
    Outbound<ByteBuf> refused = buf(0);
    box.offer(refused);
    ch.runPendingTasks();
    assertThatThrownBy(refused.future::join).hasMessageContaining("CODEC_FAILED")
        .hasMessageContaining("0 is not allowed");
    assertThat(refused.message.refCnt()).isZero();
    assertThat(ch.isActive()).isTrue();
    Outbound<ByteBuf> after = buf(2);
    box.offer(after);
    ch.runPendingTasks();
    assertThat(after.future).isCompleted();

    // replayed: handed to a channel that died before its write completed, then written on the next
    box.detach(1);
    box.channelClosed(1);
    Stuck stuck = new Stuck();
    EmbeddedChannel dying = channel(box, 2, stuck, null);
    box.open(dying, 2);
    Outbound<ByteBuf> replayed = buf(3);
    box.offer(replayed);
    dying.close();
    stuck.releaseHeld(); // the dead channel drops its reference
    box.channelClosed(2);
    assertThat(replayed.message.refCnt()).as("still ours, to write again").isEqualTo(1);
    EmbeddedChannel next = channel(box, 3, null, new PickyEncoder());
    box.open(next, 3);
    assertThat(replayed.future).isCompleted();
    assertThat(replayed.message.refCnt()).isZero();

    // queued when the connection closes: failed and released
    box.detach(3);
    box.channelClosed(3);
    Outbound<ByteBuf> unsent = buf(4);
    box.offer(unsent);
    assertThat(box.failAll(RedialException.of("CONNECTION_CLOSED", "closed"))).isEqualTo(1);
    assertThatThrownBy(unsent.future::join).hasMessageContaining("was not written before");
    assertThat(unsent.message.refCnt()).isZero();

    // offered after close: failed and released
    Outbound<ByteBuf> late = buf(5);
    box.offer(late);
    assertThat(late.message.refCnt()).isZero();
    ch.finishAndReleaseAll();
    next.finishAndReleaseAll();
  }

  @Test
  void aMessageWhoseDeadlinePassedInTheQueueIsDroppedAndReleased() {
    Outbox<ByteBuf> box = buffers();
    Outbound<ByteBuf> m = buf(1);
    box.offer(m);
    m.future.completeExceptionally(new IllegalStateException("deadline"));
    box.dropQueued(m);
    assertThat(box.queued()).isZero();
    assertThat(m.message.refCnt()).isZero();
    EmbeddedChannel ch = channel(box, 1, null, new PickyEncoder());
    box.open(ch, 1);
    assertThat((Object) ch.readOutbound()).isNull();
    CompletableFuture<Object> f = m.future;
    assertThat(f).isCompletedExceptionally();
    ch.finishAndReleaseAll();
  }
}
