package io.redial.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.redial.testing.LeakDetection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check the other tests rely on does see a leak: it is no test that cannot fail. */
class LeakDetectionTest {
  @Test
  void anUnreleasedBufferIsReported() {
    LeakDetection.drain();
    leak();
    List<String> leaks = LeakDetection.drain();
    assertThat(leaks).isNotEmpty();
    assertThat(leaks.get(0)).contains("LEAK").contains("ByteBuf");
    assertThat(LeakDetection.drain()).as("reported once").isEmpty();
  }

  private static void leak() {
    ByteBuf buf = UnpooledByteBufAllocator.DEFAULT.buffer(16);
    buf.writeLong(42);
    // dropped without release()
  }
}
