package io.redial.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's leak detector, made to fail tests: every leak it reports is recorded here, so that
 * {@link NoLeaks} can fail the test class that leaked. Installed before Netty creates its
 * buffers' detector (the extension that installs it is loaded when the engine starts).
 * The tests run with {@code -Dio.netty.leakDetection.level=paranoid}: every buffer is tracked.
 */
public final class LeakDetection {
  private static final List<String> LEAKS = new ArrayList<>();

  static {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
      @Override
      @SuppressWarnings("deprecation")
      public <T> ResourceLeakDetector<T> newResourceLeakDetector(
          Class<T> resource, int samplingInterval, long maxActive) {
        return new Recording<>(resource, samplingInterval);
      }

      @Override
      public <T> ResourceLeakDetector<T> newResourceLeakDetector(
          Class<T> resource, int samplingInterval) {
        return new Recording<>(resource, samplingInterval);
      }
    });
  }

  private LeakDetection() {}

  /** Loads this class: installs the recording detectors. */
  public static void install() {}

  /**
   * Collects garbage and makes the detector look at what was collected, a bounded number of
   * times; returns the leaks reported since the last call (and forgets them).
   */
  public static List<String> drain() {
    for (int i = 0; i < 4; i++) {
      System.gc();
      // the detector reports collected, unreleased buffers when the next buffer is tracked
      for (int j = 0; j < 8; j++) {
        ByteBuf a = UnpooledByteBufAllocator.DEFAULT.buffer(1);
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(1);
        a.release();
        b.release();
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    synchronized (LEAKS) {
      List<String> copy = List.copyOf(LEAKS);
      LEAKS.clear();
      return copy;
    }
  }

  private static final class Recording<T> extends ResourceLeakDetector<T> {
    Recording(Class<T> resource, int samplingInterval) {
      super(resource, samplingInterval);
    }

    @Override
    protected boolean needReport() {
      return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      synchronized (LEAKS) {
        LEAKS.add("LEAK: " + resourceType + records);
      }
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      synchronized (LEAKS) {
        LEAKS.add("LEAK: " + resourceType + " (untraced)");
      }
      super.reportUntracedLeak(resourceType);
    }
  }
}
