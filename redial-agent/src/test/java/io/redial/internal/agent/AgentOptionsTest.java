package io.redial.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentOptionsTest {

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void noOptionsMeanTheDefaults(String args) {
    assertThat(AgentOptions.parse(args))
        .isEqualTo(new AgentOptions(Optional.empty(), true, 32))
        .isEqualTo(AgentOptions.defaults());
  }

  @Test
  void everyOptionIsRead() {
    AgentOptions o = AgentOptions.parse("report=file:/tmp/r.jsonl, leaks=off,stackDepth=7");

    assertThat(o.reportFile()).contains(Path.of("/tmp/r.jsonl"));
    assertThat(o.leaks()).isFalse();
    assertThat(o.stackDepth()).isEqualTo(7);
  }

  @Test
  void laterOptionsWinAndStderrIsTheDefaultReport() {
    AgentOptions o = AgentOptions.parse("report=file:/x,report=stderr,leaks=off,leaks=on");

    assertThat(o.reportFile()).isEmpty();
    assertThat(o.leaks()).isTrue();
  }

  @Test
  void stackDepthBoundsAreInclusive() {
    assertThat(AgentOptions.parse("stackDepth=1").stackDepth()).isEqualTo(1);
    assertThat(AgentOptions.parse("stackDepth=1024").stackDepth()).isEqualTo(1024);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "0", "1025", "abc", "", "+5", "99999999999"})
  void badStackDepthNamesTheOptionTheValueAndTheRange(String value) {
    assertThatThrownBy(() -> AgentOptions.parse("stackDepth=" + value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stackDepth='" + value + "'")
        .hasMessageContaining("1 to 1024");
  }

  @Test
  void stacksIsOneByDefaultAndAllRecordsEveryStack() {
    assertThat(AgentOptions.defaults().allStacks()).isFalse();
    assertThat(AgentOptions.parse("stacks=one").allStacks()).isFalse();
    assertThat(AgentOptions.parse("stacks=all").allStacks()).isTrue();
    assertThat(AgentOptions.parse("stacks=ALL, leaks=off").allStacks()).isTrue();
    assertThat(AgentOptions.parse("stacks=all,stacks=one").allStacks()).isFalse();
    assertThat(AgentOptions.parse("stacks=all").leaks()).isTrue();
  }

  @Test
  void stackRateIsAThousandByDefaultUnlimitedWithStacksAllAndAsGivenOtherwise() {
    assertThat(AgentOptions.defaults().stackRate()).isEqualTo(1000);
    assertThat(AgentOptions.parse("stacks=one").stackRate()).isEqualTo(1000);
    assertThat(AgentOptions.parse("stacks=all").stackRate()).isEqualTo(StackBudget.UNLIMITED);
    assertThat(AgentOptions.parse("stacks=all,stackRate=5").stackRate()).isEqualTo(5);
    assertThat(AgentOptions.parse("stackRate=5,stacks=all").stackRate()).isEqualTo(5);
    assertThat(AgentOptions.parse("stackRate=0").stackRate()).isZero();
    assertThat(AgentOptions.parse("stackRate=1000000").stackRate()).isEqualTo(1_000_000);
    assertThat(AgentOptions.parse("stackRate=Unlimited").stackRate())
        .isEqualTo(StackBudget.UNLIMITED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "1000001", "99999999999", "", "abc", "+5", "1.5", "none"})
  void badStackRateNamesTheOptionTheValueAndWhatIsAllowed(String value) {
    assertThatThrownBy(() -> AgentOptions.parse("stackRate=" + value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("redial-agent option stackRate='" + value + "' is not allowed; use a whole"
            + " number of stacks a second from 0 to 1000000 (0: only a misuse's offending call)"
            + " or stackRate=unlimited");
  }

  @Test
  void theConstructorChecksTheStackRateToo() {
    assertThatThrownBy(() -> new AgentOptions(Optional.empty(), true, 8, 0, Optional.empty(),
        Optional.empty(), false, -5))
        .hasMessage("stackRate must be between 0 and 1000000 or unlimited (-1), got -5");
  }

  @ParameterizedTest
  @ValueSource(strings = {"every", "", "on", "1", "first"})
  void badStacksValueNamesTheOptionTheValueAndWhatIsAllowed(String value) {
    assertThatThrownBy(() -> AgentOptions.parse("stacks=" + value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redial-agent option stacks='" + value + "' is not allowed")
        .hasMessageContaining("use stacks=one")
        .hasMessageContaining("or stacks=all");
  }

  @Test
  void badLeaksValueSaysWhatIsAllowed() {
    assertThatThrownBy(() -> AgentOptions.parse("leaks=maybe"))
        .hasMessageContaining("leaks='maybe'")
        .hasMessageContaining("leaks=on or leaks=off");
  }

  @ParameterizedTest
  @ValueSource(strings = {"stdout", "file:", "http://example"})
  void badReportSaysWhatIsAllowed(String value) {
    assertThatThrownBy(() -> AgentOptions.parse("report=" + value))
        .hasMessageContaining("report='" + value + "'")
        .hasMessageContaining("report=stderr or report=file:PATH");
  }

  @Test
  void watchAndTeeAreWhatRedialAttachSets() {
    AgentOptions o = AgentOptions.parse("tee=file:/tmp/t.log,watch=60000,leaks=off");

    assertThat(o.tee()).contains(java.nio.file.Path.of("/tmp/t.log"));
    assertThat(o.watchMillis()).isEqualTo(60_000);
    assertThat(o.leaks()).isFalse();
    assertThat(AgentOptions.defaults().watchMillis()).isZero();
    assertThat(AgentOptions.defaults().tee()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"watch=-1", "watch=10s", "watch=", "tee=stderr", "tee=file:"})
  void badWatchOrTeeSaysWhatIsAllowed(String args) {
    assertThatThrownBy(() -> AgentOptions.parse(args))
        .hasMessageContaining(args.substring(0, args.indexOf('=')) + "='")
        .hasMessageContaining("is not allowed; use ");
  }

  @Test
  void unknownOptionIsNamedWithTheKnownOnes() {
    assertThatThrownBy(() -> AgentOptions.parse("leak=on"))
        .hasMessageContaining("'leak'")
        .hasMessageContaining("report=stderr|file:PATH, leaks=on|off, stackDepth=1..1024")
        .hasMessageContaining("stacks=one|all")
        .hasMessageContaining("stackRate=0..1000000|unlimited");
  }

  @ParameterizedTest
  @ValueSource(strings = {"leaks", "=on", "leaks=off,,stackDepth=3"})
  void itemsThatAreNotKeyValuePairsAreRejected(String args) {
    assertThatThrownBy(() -> AgentOptions.parse(args))
        .hasMessageContaining("is not of the form key=value");
  }

  @Test
  void hugeOptionStringsAreRefusedBeforeParsing() {
    String huge = "leaks=on,".repeat(1000);

    assertThatThrownBy(() -> AgentOptions.parse(huge))
        .hasMessageContaining(huge.length() + " characters")
        .hasMessageContaining("at most 4096");
  }

  @Test
  void theConstructorChecksTheDepthToo() {
    assertThatThrownBy(() -> new AgentOptions(Optional.empty(), true, 0))
        .hasMessageContaining("stackDepth must be between 1 and 1024, got 0");
  }
}
