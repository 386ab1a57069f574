package io.redial.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.internal.agent.boot.Hooks;
import io.redial.internal.agent.boot.Probe;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A failing probe is reported once and switched off; the caller (a JDK socket method) never
 * sees the failure. Hooks is global, so this is the only test that installs a probe.
 */
class HooksTest {

  @Test
  void aProbeThatThrowsIsReportedOnceAndSwitchedOffWhileTheOthersRunOn() {
    List<String> failures = new CopyOnWriteArrayList<>();
    List<String> calls = new CopyOnWriteArrayList<>();
    boolean installed = Hooks.install(new Probe() {
      @Override
      public void opened(int probe, Object socket) {
        calls.add("opened");
      }

      @Override
      public Object connectStart(int probe, Object socket, Object target) {
        calls.add("connectStart");
        throw new IllegalStateException("agent bug");
      }

      @Override
      public void connectEnd(int probe, Object s, Object token, boolean c, Throwable t) {
        calls.add("connectEnd");
      }

      @Override
      public void settled(int probe, Object socket, boolean connected) {
        calls.add("settled");
      }

      @Override
      public void closed(int probe, Object socket) {
        throw new StackOverflowError("even errors");
      }

      @Override
      public void internalError(String probe, Throwable error) {
        failures.add(probe + ": " + error.getMessage());
        throw new IllegalStateException("and the report fails too");
      }
    });

    assertThat(installed).isTrue();
    assertThat(Hooks.install(new Tracker(AgentOptions.defaults(), null, null)))
        .as("a second install is refused").isFalse();

    Object socket = new Object();
    assertThat(Hooks.connectStart(Hooks.SOCKET_CONNECT, socket, null)).isNull();
    assertThat(Hooks.connectStart(Hooks.SOCKET_CONNECT, socket, null)).isNull();
    Hooks.closed(Hooks.CHANNEL_CLOSE, socket);
    Hooks.closed(Hooks.CHANNEL_CLOSE, socket);
    Hooks.opened(Hooks.CHANNEL_OPEN, socket);
    Hooks.settled(Hooks.CHANNEL_CONNECT, socket, true);
    Hooks.connectEnd(Hooks.CHANNEL_CONNECT, socket, "token", true, null);
    Hooks.connectEnd(Hooks.CHANNEL_CONNECT, socket, null, true, null); // no token: no call

    assertThat(failures).containsExactly(
        "socket-connect: agent bug", "channel-close: even errors");
    assertThat(calls).containsExactly("connectStart", "opened", "settled", "connectEnd");
    assertThat(Hooks.isOn(Hooks.SOCKET_CONNECT)).isFalse();
    assertThat(Hooks.isOn(Hooks.CHANNEL_CLOSE)).isFalse();
    assertThat(Hooks.isOn(Hooks.CHANNEL_OPEN)).isTrue();
  }
}
