package io.redial.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The batcher between a codec and the transport: few large writes, and still an exact count of
 * the messages that left — when everything is written, when the transport dies halfway through a
 * batch, and when the codec refuses one message.
 */
class WriteBatcherTest {
  private final List<String> events = new ArrayList<>();
  private final WriteBatcher.Sink sink = new WriteBatcher.Sink() {
    @Override
    public void messagesWritten(long gen, int count) {
      events.add("written " + count);
    }

    @Override
    public void batchFailed(long gen, Throwable cause) {
      events.add("failed " + cause.getMessage());
    }
  };

  /** Encodes a String as its bytes in two buffers (as a protocol header and body would be). */
  private static final class TwoParts extends MessageToMessageEncoder<String> {
    @Override
    protected void encode(ChannelHandlerContext ctx, String msg, List<Object> out) {
      if (msg.equals("refuse")) {
        throw new IllegalArgumentException("refused " + msg);
      }
      byte[] b = msg.getBytes(StandardCharsets.US_ASCII);
      out.add(Unpooled.wrappedBuffer(b, 0, 1));
      out.add(Unpooled.wrappedBuffer(b, 1, b.length - 1));
    }
  }

  /** A transport that writes {@code writable} bytes of the first entry, then dies. */
  private static final class DiesAfter extends ChannelOutboundHandlerAdapter {
    final int writable;
    final List<Object> entries = new ArrayList<>();

    DiesAfter(int writable) {
      this.writable = writable;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      ByteBuf b = (ByteBuf) msg;
      entries.add(b.toString(StandardCharsets.US_ASCII));
      ((ChannelProgressivePromise) promise).tryProgress(writable, b.readableBytes());
      b.release();
      promise.setFailure(new IOException("Connection reset by peer"));
    }
  }

  private WriteBatcher batcher(EmbeddedChannel ch, boolean perMessage) {
    WriteBatcher b = new WriteBatcher(7, sink, perMessage);
    ch.pipeline().addFirst(WriteBatcher.NAME, b);
    return b;
  }

  private static Throwable write(WriteBatcher b, EmbeddedChannel ch, String msg) {
    b.begin();
    ch.write(msg, ch.voidPromise());
    return b.end();
  }

  private static String drain(EmbeddedChannel ch) {
    StringBuilder out = new StringBuilder();
    ByteBuf buf;
    while ((buf = ch.readOutbound()) != null) {
      out.append(buf.toString(StandardCharsets.US_ASCII)).append('|');
      buf.release();
    }
    return out.toString();
  }

  @Test
  void messagesOfOneFlushGoOutAsOneWriteAndAreCountedWhenItIsDone() {
    EmbeddedChannel ch = new EmbeddedChannel(new TwoParts());
    WriteBatcher b = batcher(ch, false);
    for (String m : List.of("abc", "de", "fgh")) {
      assertThat(write(b, ch, m)).isNull();
    }
    assertThat(events).as("nothing counted before the bytes leave").isEmpty();
    ch.flush();
    assertThat(drain(ch)).isEqualTo("abcdefgh|");
    assertThat(events).containsExactly("written 3");
    ch.finishAndReleaseAll();
  }

  @Test
  void whenTheTransportDiesHalfwayOnlyTheMessagesWrittenWholeAreCounted() {
    EmbeddedChannel ch = new EmbeddedChannel(new TwoParts());
    WriteBatcher b = batcher(ch, false);
    DiesAfter socket = new DiesAfter(6); // "abc" + "de" + "f": two whole messages
    ch.pipeline().addFirst(socket); // the transport: nearest the head
    for (String m : List.of("abc", "de", "fgh")) {
      write(b, ch, m);
    }
    ch.flush();
    assertThat(socket.entries).containsExactly("abcdefgh");
    assertThat(events).containsExactly("written 2", "failed Connection reset by peer");
    // nothing after a failure is counted: it all goes out again on the next channel
    write(b, ch, "ij");
    ch.flush();
    assertThat(events).containsExactly("written 2", "failed Connection reset by peer",
        "failed Connection reset by peer");
    ch.finishAndReleaseAll();
  }

  @Test
  void aMessageTheCodecRefusesFailsAloneAndLeavesNoBytesBehind() {
    EmbeddedChannel ch = new EmbeddedChannel(new TwoParts());
    WriteBatcher b = batcher(ch, false);
    assertThat(write(b, ch, "abc")).isNull();
    Throwable refused = write(b, ch, "refuse");
    assertThat(refused).isInstanceOf(EncoderException.class).hasMessageContaining("refused");
    assertThat(b.broken()).isFalse();
    assertThat(write(b, ch, "de")).isNull();
    ch.flush();
    assertThat(drain(ch)).isEqualTo("abcde|");
    assertThat(events).containsExactly("written 2");
    assertThat(ch.isActive()).isTrue();
    ch.finishAndReleaseAll();
  }

  @Test
  void largeBuffersGoOutAsTheyAreInOrderAndKeepTheirReaderIndex() {
    EmbeddedChannel ch = new EmbeddedChannel();
    WriteBatcher b = batcher(ch, false);
    ByteBuf large = Unpooled.buffer().writeBytes("L".repeat(WriteBatcher.COPY_MAX + 1)
        .getBytes(StandardCharsets.US_ASCII));
    b.begin();
    ch.write(Unpooled.copiedBuffer("s1", StandardCharsets.US_ASCII), ch.voidPromise());
    b.end();
    b.begin();
    ch.write(large.retain(), ch.voidPromise());
    b.end();
    b.begin();
    ch.write(Unpooled.copiedBuffer("s2", StandardCharsets.US_ASCII), ch.voidPromise());
    b.end();
    ch.flush();
    assertThat(drain(ch)).isEqualTo("s1|" + "L".repeat(WriteBatcher.COPY_MAX + 1) + "|s2|");
    assertThat(events).containsExactly("written 1", "written 1", "written 1");
    assertThat(large.readerIndex()).as("the codec's buffer, unmoved").isZero();
    assertThat(large.refCnt()).as("the channel's reference released").isEqualTo(1);
    large.release();
    ch.finishAndReleaseAll();
  }

  @Test
  void underTlsEveryMessageIsAWriteOfItsOwn() {
    EmbeddedChannel ch = new EmbeddedChannel(new TwoParts());
    WriteBatcher b = batcher(ch, true);
    write(b, ch, "abc");
    write(b, ch, "de");
    ch.flush();
    assertThat(drain(ch)).isEqualTo("abc|de|");
    assertThat(events).containsExactly("written 1", "written 1");
    ch.finishAndReleaseAll();
  }

  @Test
  void bytesNotYetPassedOnAreReleasedWhenTheChannelCloses() {
    EmbeddedChannel ch = new EmbeddedChannel(new TwoParts());
    WriteBatcher b = batcher(ch, false);
    write(b, ch, "abc");
    ch.close();
    assertThat(events).as("never written, never counted").isEmpty();
    assertThat(drain(ch)).isEmpty();
    ch.finishAndReleaseAll();
  }
}
