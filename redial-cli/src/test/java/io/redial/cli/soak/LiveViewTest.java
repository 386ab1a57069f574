package io.redial.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.ConnectionState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveViewTest {
  private static final LiveView.Snapshot S = new LiveView.Snapshot(12_345, 30_000,
      Map.of(ConnectionState.CONNECTED, 29, ConnectionState.BACKOFF, 2,
          ConnectionState.CONNECTING, 1),
      64, 1234, 1230, 3, "blackhole");

  @Test
  void plainModePrintsOneLinePerUpdateWithoutEscapes() {
    StringWriter text = new StringWriter();
    LiveView view = new LiveView(new PrintWriter(text), false, s -> "*" + s + "*");
    view.update(S);
    view.update(new LiveView.Snapshot(13_000, 30_000, Map.of(), 0, 0, 0, 0, "none"));
    assertThat(text.toString().lines()).containsExactly(
        "[12.3s/30.0s] CONNECTING 1 CONNECTED 29 BACKOFF 2 | reconnects 64 | sent 1234 echoed 1230"
            + " queued 3 | fault: blackhole",
        "[13.0s/30.0s] CONNECTED 0 | reconnects 0 | sent 0 echoed 0 queued 0 | fault: none");
    assertThat(text.toString()).doesNotContain("\u001b");
  }

  @Test
  void inPlaceModeRedrawsOverTheLastBlock() {
    StringWriter text = new StringWriter();
    LiveView view = new LiveView(new PrintWriter(text), true, s -> s);
    view.update(S);
    String first = text.toString();
    assertThat(first).doesNotContain("\u001b[5F").contains("\u001b[2K");
    view.update(S);
    String second = text.toString().substring(first.length());
    assertThat(second).startsWith("\u001b[5F");
    assertThat(first.lines()).hasSize(5);
  }

  @Test
  void blockShowsTheProgressTheStatesAndTheFault() {
    LiveView view = new LiveView(new PrintWriter(new StringWriter()), true, s -> s);
    assertThat(view.block(S)).containsExactly(
        "redial demo  [############..................]  12.3s / 30.0s",
        "  fault now     blackhole",
        "  connections   CONNECTING 1 CONNECTED 29 BACKOFF 2",
        "  reconnects    64",
        "  frames        sent 1234   echoed 1230   queued 3");
  }

  @Test
  void barIsBoundedWhateverTheTimes() {
    assertThat(LiveView.bar(new LiveView.Snapshot(99_000, 30_000, Map.of(), 0, 0, 0, 0, "x")))
        .isEqualTo("[" + "#".repeat(LiveView.BAR_WIDTH) + "]");
    assertThat(LiveView.bar(new LiveView.Snapshot(-5, 0, Map.of(), 0, 0, 0, 0, "x")))
        .isEqualTo("[" + ".".repeat(LiveView.BAR_WIDTH) + "]");
  }
}
