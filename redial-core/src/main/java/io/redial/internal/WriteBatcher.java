package io.redial.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelProgressivePromise;

/**
 * Sits between the codec's handlers and the transport (TLS, the socket) of one channel and turns
 * the connection's messages into few, large writes, while still telling the driver exactly which
 * messages left.
 *
 * <p>The driver writes each message with the channel's void promise between {@link #begin} and
 * {@link #end}: no promise per message, so an encoder that emits several buffers per message (as
 * Netty's {@code RedisEncoder} does: 7 for a {@code SET}) combines no promises either. Small
 * buffers are copied into one batch buffer of up to {@value #CHUNK} bytes; larger ones go out as
 * they are. Every write this handler passes on (an <em>entry</em>) carries a progressive promise
 * and the offsets at which messages end inside it, so when an entry is written the driver hears
 * how many messages are out, and when the channel dies mid-entry, how many of its messages were
 * written whole (the others go out again on the next channel, exactly once, as before).
 *
 * <p>With TLS ({@code perMessage}) every message is an entry of its own: the TLS handler reports
 * no progress, so a batch of many messages would be all-or-nothing when the channel dies.
 *
 * <p>An encoder that fails a message under the void promise fires the failure through the
 * pipeline while the driver's {@code write} is still on the stack: this handler claims it
 * ({@link #end} returns it) so that the message alone fails and the channel goes on. Event loop
 * only.
 */
final class WriteBatcher extends ChannelDuplexHandler {
  static final String NAME = "redial-writes";
  /** Buffers up to this size are copied into the batch; larger ones are passed on as they are. */
  static final int COPY_MAX = 2048;
  /** The most bytes of one batch buffer: the channel's writability sees a batch this large. */
  static final int CHUNK = 64 * 1024;

  /** Where the outcome of the messages goes. */
  interface Sink {
    /** The next {@code count} messages handed to channel {@code gen} were written. */
    void messagesWritten(long gen, int count);

    /** A write of channel {@code gen} failed after it was handed to the transport. */
    void batchFailed(long gen, Throwable cause);
  }

  private final long gen;
  private final Sink sink;
  private final boolean perMessage;
  private ChannelHandlerContext ctx;
  /** The open entry: messages ending in it; null when none. */
  private Entry open;
  /** The open entry's bytes when this handler allocated them (more may be appended); or null. */
  private ByteBuf buf;
  /** The open entry's bytes when they are a buffer of the codec's, passed on as it is. */
  private ByteBuf passed;
  /** Between begin and end. */
  private boolean writing;
  private Throwable claimed;
  private int markIndex;
  private ByteBuf passedAtBegin;
  private int entriesAtBegin;
  private int entries;
  /** An entry failed, or a message failed halfway: no message of this channel is counted after. */
  private boolean broken;

  WriteBatcher(long gen, Sink sink, boolean perMessage) {
    this.gen = gen;
    this.sink = sink;
    this.perMessage = perMessage;
  }

  /** The batcher of {@code channel}'s pipeline; null once the pipeline is gone. */
  static WriteBatcher of(io.netty.channel.Channel channel) {
    return (WriteBatcher) channel.pipeline().get(NAME);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** The driver is about to write one message through the pipeline. */
  void begin() {
    writing = true;
    claimed = null;
    markIndex = buf == null ? 0 : buf.writerIndex();
    passedAtBegin = passed;
    entriesAtBegin = entries;
  }

  /**
   * The driver's write returned. Null when the message was taken (it is counted once its bytes
   * are written); otherwise what the codec failed it with: its bytes are gone from the batch.
   */
  Throwable end() {
    writing = false;
    Throwable failed = claimed;
    claimed = null;
    passedAtBegin = null;
    if (failed == null) {
      messageEnded();
    } else if (entries == entriesAtBegin) {
      // nothing of it was passed on yet: drop its partial bytes, the channel goes on
      if (buf != null) {
        buf.writerIndex(Math.min(markIndex, buf.writerIndex()));
      } else if (passed != passedAtBegin) {
        passed.release(); // a large buffer of its own that opened a new entry
        passed = null;
        open = null;
      }
    } else {
      broken = true; // part of it is on its way already: this channel cannot be trusted
    }
    return failed;
  }

  /** True after a message failed halfway through its bytes: the channel must be closed. */
  boolean broken() {
    return broken;
  }

  private void messageEnded() {
    if (broken) {
      return; // never counted: it goes out again on the next channel
    }
    if (open == null) {
      open = new Entry();
    }
    open.end(readable());
    if (perMessage) {
      emit();
    }
  }

  private int readable() {
    return buf != null ? buf.readableBytes() : passed != null ? passed.readableBytes() : 0;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!writing || !promise.isVoid()) {
      emit(); // someone else's write, with its own promise: after ours, as it was written
      ctx.write(msg, promise);
      return;
    }
    if (!(msg instanceof ByteBuf b)) {
      emit(); // a FileRegion or the like: an entry of its own
      open = new Entry();
      emitWith(msg);
      return;
    }
    int n = b.readableBytes();
    if (n > COPY_MAX) {
      emit();
      open = new Entry();
      passed = b.duplicate(); // the transport moves its reader index, not the codec's buffer's
      return;
    }
    if (passed != null || (buf != null && buf.readableBytes() + n > CHUNK)) {
      emit();
    }
    if (buf == null) {
      buf = ctx.alloc().directBuffer(Math.max(1024, n), CHUNK);
      if (open == null) {
        open = new Entry();
      }
    }
    try {
      buf.writeBytes(b, b.readerIndex(), n); // its reader index stays: it may be written again
    } finally {
      b.release();
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    emit();
    ctx.flush();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (writing) {
      if (claimed == null) {
        claimed = cause; // the codec failed the message being written, under the void promise
      }
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    discard(); // messages in it were never written: the driver sends them again
    ctx.close(promise);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    discard();
  }

  /** Passes the open entry on, if there is one. */
  private void emit() {
    if (open == null) {
      return;
    }
    Object bytes = buf != null ? buf : passed != null ? passed : Unpooled.EMPTY_BUFFER;
    buf = null;
    passed = null;
    emitWith(bytes);
  }

  private void emitWith(Object bytes) {
    Entry e = open;
    open = null;
    entries++;
    ChannelPromise p = new DefaultChannelProgressivePromise(ctx.channel(), ctx.executor());
    p.addListener(e);
    ctx.write(bytes, p);
  }

  private void discard() {
    open = null;
    if (buf != null) {
      buf.release();
      buf = null;
    }
    if (passed != null) {
      passed.release();
      passed = null;
    }
  }

  /** One write passed on: where messages end in it, and how much of it was written. */
  private final class Entry implements ChannelProgressiveFutureListener {
    private int[] ends = new int[4];
    private int count;
    private long progress;

    void end(int offset) {
      if (count == ends.length) {
        ends = java.util.Arrays.copyOf(ends, count * 2);
      }
      ends[count++] = offset;
    }

    @Override
    public void operationProgressed(ChannelProgressiveFuture f, long progress, long total) {
      this.progress = progress;
    }

    @Override
    public void operationComplete(ChannelProgressiveFuture f) {
      if (f.isSuccess()) {
        if (count > 0) {
          sink.messagesWritten(gen, count);
        }
        return;
      }
      if (!broken) {
        broken = true;
        int whole = 0; // the messages whose last byte was written before the failure
        while (whole < count && ends[whole] <= progress) {
          whole++;
        }
        if (whole > 0) {
          sink.messagesWritten(gen, whole);
        }
      }
      sink.batchFailed(gen, f.cause());
    }
  }
}
