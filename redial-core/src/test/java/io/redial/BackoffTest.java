package io.redial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static Duration ms(long v) {
    return Duration.ofMillis(v);
  }

  @Test
  void grpcDefaultsWithoutJitterGrowBy1point6UpTo120s() {
    Backoff b = Backoff.exponential();
    FixedRandom mid = new FixedRandom(0.5); // 0.5 maps to zero jitter
    assertThat(b.delay(0, mid)).isEqualTo(ms(1000));
    assertThat(b.delay(1, mid)).isEqualTo(ms(1600));
    assertThat(b.delay(2, mid)).isEqualTo(ms(2560));
    assertThat(b.delay(3, mid)).isEqualTo(Duration.ofNanos(4_096_000_000L));
    assertThat(b.delay(11, mid)).isEqualTo(Duration.ofSeconds(120)); // 1.6^11 = 175.9 s: capped
    assertThat(b.delay(1_000, mid)).isEqualTo(Duration.ofSeconds(120));
    assertThat(b.minConnectTimeout()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void grpcJitterIsPlusMinus20Percent() {
    Backoff b = Backoff.exponential();
    assertThat(b.delay(0, new FixedRandom(0.0))).isEqualTo(ms(800));
    assertThat(b.delay(0, new FixedRandom(1.0))).isEqualTo(ms(1200));
    assertThat(b.delay(1, new FixedRandom(0.75))).isEqualTo(ms(1760)); // 1600 + 0.5*0.2*1600
  }

  @Test
  void exponentialWithParameters() {
    Backoff b = Backoff.exponential(ms(100), ms(1000), 2.0, 0.0);
    FixedRandom any = new FixedRandom(0.9);
    assertThat(b.delay(0, any)).isEqualTo(ms(100));
    assertThat(b.delay(1, any)).isEqualTo(ms(200));
    assertThat(b.delay(3, any)).isEqualTo(ms(800));
    assertThat(b.delay(4, any)).isEqualTo(ms(1000));
    assertThat(b.minConnectTimeout()).isEqualTo(Duration.ZERO);
  }

  @Test
  void fullJitterIsUniformBelowTheExponentialCeiling() {
    Backoff b = Backoff.fullJitter(ms(100), ms(1000));
    assertThat(b.delay(0, new FixedRandom(0.5))).isEqualTo(ms(50));
    assertThat(b.delay(2, new FixedRandom(0.25))).isEqualTo(ms(100)); // ceiling 400
    assertThat(b.delay(10, new FixedRandom(0.5))).isEqualTo(ms(500)); // ceiling capped at 1000
    assertThat(b.delay(3, new FixedRandom(0.0))).isEqualTo(Duration.ZERO);
  }

  @Test
  void fixedIgnoresRetryAndRandomness() {
    Backoff b = Backoff.fixed(ms(250));
    assertThat(b.delay(0, new FixedRandom(0.1))).isEqualTo(ms(250));
    assertThat(b.delay(50, new FixedRandom(0.9))).isEqualTo(ms(250));
  }

  @Test
  void invalidParametersNameTheParameterAndTheAllowedRange() {
    assertThatThrownBy(() -> Backoff.exponential(ms(0), ms(10), 2, 0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initial").hasMessageContaining("positive");
    assertThatThrownBy(() -> Backoff.exponential(ms(10), ms(5), 2, 0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max").hasMessageContaining("PT0.005S");
    assertThatThrownBy(() -> Backoff.exponential(ms(10), ms(50), 0.5, 0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiplier").hasMessageContaining("0.5");
    assertThatThrownBy(() -> Backoff.exponential(ms(10), ms(50), 2, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jitter").hasMessageContaining("[0.0, 1.0]")
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> Backoff.exponential(ms(10), ms(50), 2, -0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter");
    assertThatThrownBy(() -> Backoff.exponential(ms(10), ms(50), Double.NaN, 0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier");
    assertThatThrownBy(() -> Backoff.fixed(ms(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay");
    assertThatThrownBy(() -> Backoff.fullJitter(ms(10), ms(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cap");
    assertThatThrownBy(() -> Backoff.fixed(ms(1)).delay(-1, new FixedRandom(0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retry");
  }
}
