package io.redial.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

  @Test
  void readsTheLowerBoundOfTheEphemeralRange() {
    assertThat(LoopbackPorts.parseLow("32768\t60999\n")).isEqualTo(32_768);
    assertThat(LoopbackPorts.parseLow(" 49152 65535")).isEqualTo(49_152);
    assertThat(LoopbackPorts.parseLow("80 90")).isEqualTo(LoopbackPorts.DEFAULT_EPHEMERAL_LOW);
  }

  @Test
  void triesPortsBelowTheRangeThenAnyPort() {
    int low = LoopbackPorts.ephemeralLow();
    List<Integer> tried = new ArrayList<>();
    int port = LoopbackPorts.bindBelowEphemeral(p -> {
      tried.add(p);
      if (tried.size() < 3) {
        throw new IllegalStateException("taken");
      }
      return p;
    }, new SplittableRandom(1));
    assertThat(tried).hasSize(3).allSatisfy(p -> assertThat(p).isBetween(1_024, low - 1));
    assertThat(port).isEqualTo(tried.get(2));

    List<Integer> all = new ArrayList<>();
    int fallback = LoopbackPorts.bindBelowEphemeral(p -> {
      all.add(p);
      if (p != 0) {
        throw new IllegalStateException("taken");
      }
      return p;
    }, new SplittableRandom(2));
    assertThat(fallback).isZero();
    assertThat(all).hasSize(LoopbackPorts.TRIES + 1);
  }

  @Test
  void theProxyAndTheEchoServerListenBelowTheRange() {
    // below the range, a client retrying a stopped listener cannot connect to itself
    try (io.redial.testkit.EchoServer echo = io.redial.testkit.EchoServer.start(
            io.redial.testkit.EchoMode.RAW);
        io.redial.testkit.FaultProxy proxy = io.redial.testkit.FaultProxy.start(echo.address())) {
      assertThat(echo.address().getPort()).isLessThan(LoopbackPorts.ephemeralLow());
      assertThat(proxy.listenAddress().getPort()).isLessThan(LoopbackPorts.ephemeralLow());
    }
  }
}
