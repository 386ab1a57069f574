package io.redial.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.channel.Channel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.StringDecoder;
import io.redial.Codec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A text-line codec that keeps every channel it was added to, in order: tests read socket
 * options back from the live channel and see where it is connected (the proxy, or the server).
 */
public final class CapturingLines {
  private final List<Channel> channels = new CopyOnWriteArrayList<>();
  private final List<String> received = new CopyOnWriteArrayList<>();

  public Codec<String> codec() {
    return Codec.netty(String.class, p -> {
      channels.add(p.channel());
      p.addLast(new LineBasedFrameDecoder(1024), new StringDecoder(UTF_8), new LineEncoder(UTF_8));
    }, String::length);
  }

  /** Every channel made so far, oldest first. */
  public List<Channel> channels() {
    return channels;
  }

  /** The newest channel. */
  public Channel last() {
    return channels.get(channels.size() - 1);
  }

  /** For onMessage: keeps what came back. */
  public void add(String line) {
    received.add(line);
  }

  public List<String> received() {
    return received;
  }
}
