package io.redial.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {
  private final WeakIdentityMap<String> map = new WeakIdentityMap<>();

  @Test
  void keysAreComparedByIdentityNotEquals() {
    String a = new String("same");
    String b = new String("same");

    assertThat(map.putIfAbsent(a, "A")).isEqualTo("A");
    assertThat(map.putIfAbsent(b, "B")).isEqualTo("B");
    assertThat(map.putIfAbsent(a, "again")).isEqualTo("A");

    assertThat(map.get(a)).isEqualTo("A");
    assertThat(map.get(b)).isEqualTo("B");
    assertThat(map.get(new String("same"))).isNull();
    assertThat(map.size()).isEqualTo(2);
  }

  @Test
  void aCollectedKeyHandsBackItsValueOnceAndLeavesTheMap() {
    Object kept = new Object();
    map.putIfAbsent(kept, "kept");
    map.putIfAbsent(new Object(), "dropped");

    await().atMost(Duration.ofSeconds(20)).until(() -> {
      System.gc();
      return map.awaitCollected(50) != null;
    });

    assertThat(map.size()).isEqualTo(1);
    assertThat(map.get(kept)).isEqualTo("kept");
    assertThat(map.pollCollected()).isNull();
  }
}
