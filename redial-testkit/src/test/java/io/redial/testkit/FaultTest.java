package io.redial.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FaultTest {

  @ParameterizedTest
  @ValueSource(strings = {"latency=200ms", "latency=200ms:50ms", "bandwidth=10000", "bandwidth=10000@downstream",
      "slice=100:20:10ms", "limit-data=4096@upstream", "blackhole", "blackhole@upstream", "slow-close=1s",
      "reset-after=5s", "max-age=30s", "stall", "refuse", "latency=1s~0.25", "latency=1500us@upstream~0.5",
      "latency=7ns"})
  void specsReadBackToTheSameText(String spec) {
    assertThat(Fault.parse(spec).spec()).isEqualTo(spec);
    assertThat(Fault.parse(Fault.parse(spec).spec())).isEqualTo(Fault.parse(spec));
  }

  @Test
  void parsesValuesDirectionAndToxicity() {
    assertThat(Fault.parse("latency=200ms:50ms@downstream~0.5")).isEqualTo(
        new Fault(new FaultKind.Latency(Duration.ofMillis(200), Duration.ofMillis(50)), Direction.DOWNSTREAM, 0.5));
    assertThat(Fault.parse("reset-after=2m")).isEqualTo(Fault.resetAfter(Duration.ofMinutes(2)));
    assertThat(Fault.parse("stall-new")).isEqualTo(Fault.stallNew());
    assertThat(Fault.parse("refuse-new@both")).isEqualTo(Fault.refuseNew());
    assertThat(Fault.parse(" bandwidth=1 ")).isEqualTo(Fault.bandwidth(1));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "latency               | bad 0 value(s) for latency; allowed: latency=BASE[:JITTER]",
      "latency=200           | bad duration '200'; allowed: a whole number with a unit",
      "latency=200ms:1ms:1ms | bad 3 value(s) for latency",
      "latency=2h            | bad duration '2h'",
      "latency=61m           | latency base is PT1H1M; allowed: 0 to PT1H",
      "bandwidth=0           | bandwidth bytesPerSecond is 0; allowed: 1..10000000000",
      "bandwidth=fast        | bad value 'fast'; allowed: a whole number",
      "bandwidth=99999999999999999999 | bad value '99999999999999999999'",
      "slice=10:10:1ms       | slice variation is 10; allowed: 0..9",
      "jitter=5ms            | bad name 'jitter'; allowed: latency=BASE[:JITTER], bandwidth=",
      "blackhole=1           | bad 1 value(s) for blackhole; allowed: blackhole (no value)",
      "blackhole@sideways    | bad direction 'sideways'; allowed: @upstream, @downstream, @both",
      "blackhole~2           | toxicity is 2.0; allowed: 0.0 to 1.0",
      "blackhole~1.2.3       | bad toxicity '1.2.3'",
      "refuse~0.5            | refuse acts on the listening socket, not per connection; allowed: 1.0",
      "reset-after=1s@upstream | direction is UPSTREAM but reset-after=1s acts on whole connections; allowed: BOTH",
      "LATENCY=1s            | bad its shape",
  })
  void badSpecsNameTheSpecTheValueAndWhatIsAllowed(String spec, String message) {
    assertThatThrownBy(() -> Fault.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("fault spec '" + spec + "'")
        .hasMessageContaining(message);
  }

  @Test
  void overlongSpecsAreRejectedBeforeParsing() {
    String spec = "latency=" + "9".repeat(10_000) + "ms";
    assertThatThrownBy(() -> Fault.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fault spec is 10010 characters long; allowed: at most 200");
  }

  @Test
  void builderMethodsValidateToo() {
    assertThatThrownBy(() -> Fault.latency(Duration.ofMillis(-1), Duration.ZERO))
        .hasMessage("latency base is PT-0.001S; allowed: 0 to PT1H");
    assertThatThrownBy(() -> Fault.blackhole().toxicity(Double.NaN)).hasMessage("toxicity is NaN; allowed: 0.0 to 1.0");
    assertThatThrownBy(() -> Fault.stallNew().upstream()).hasMessageContaining("allowed: BOTH");
    assertThat(Direction.BOTH.covers(Direction.UPSTREAM)).isTrue();
    assertThat(Direction.DOWNSTREAM.covers(Direction.UPSTREAM)).isFalse();
  }
}
