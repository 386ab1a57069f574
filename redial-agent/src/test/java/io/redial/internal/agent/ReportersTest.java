package io.redial.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.errors.SocketError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ReportersTest {
  private static final SocketError EXPLANATION = new SocketError("WSAEISCONN",
      OptionalInt.of(10056), OptionalInt.of(106), OptionalInt.of(56),
      "Already connected.", "Connected twice.", "Use a fresh socket.");

  private final List<String> out = new ArrayList<>();

  private static Attempt attempt(String target) {
    return new Attempt("main", 1, Instant.parse("2026-01-02T03:04:05Z"), target,
        new StackCapture(4).capture());
  }

  private static Report report(Optional<SocketError> explanation) {
    return new Report(Pattern.DOUBLE_CONNECT, "java.net.Socket#7", "connect() twice",
        "first connect", attempt("/127.0.0.1:1"), "this connect", attempt("/127.0.0.1:1"),
        "a note", explanation);
  }

  @Test
  void textBlockHasHeadingBothStacksOutcomeAndTheCatalogsFix() {
    new TextReporter(out::add).report(report(Optional.of(EXPLANATION)));

    assertThat(out).singleElement().satisfies(block -> {
      assertThat(block).startsWith(
          "[redial-agent] DOUBLE_CONNECT (WSAEISCONN / EISCONN): connect() twice\n");
      assertThat(block).contains(
          "  first connect: thread \"main\" (id 1) at 2026-01-02T03:04:05Z, to /127.0.0.1:1\n",
          "      at " + ReportersTest.class.getName() + ".attempt(ReportersTest.java:",
          "  note: a note\n",
          "  what it means: Already connected.\n", "  why: Connected twice.\n",
          "  fix: Use a fresh socket.\n");
      assertThat(ReportBlock.parse(block)).singleElement().satisfies(b -> {
        assertThat(b.stack("first connect")).hasSize(4);
        assertThat(b.stack("this connect")).hasSize(4);
      });
    });
  }

  @Test
  void withoutACatalogEntryTheReportIsPrintedWithoutExplanation() {
    new TextReporter(out::add).report(report(Optional.empty()));
    new JsonLinesReporter(out::add).report(report(Optional.empty()));

    assertThat(out).hasSize(2);
    assertThat(out.get(0)).contains("DOUBLE_CONNECT", "this connect")
        .doesNotContain("what it means", "fix:");
    assertThat(out.get(1)).contains("\"pattern\":\"DOUBLE_CONNECT\"")
        .doesNotContain("\"fix\"");
  }

  @Test
  void jsonLineCarriesEveryField() {
    new JsonLinesReporter(out::add).report(report(Optional.of(EXPLANATION)));

    assertThat(out).singleElement().satisfies(line -> assertThat(line)
        .endsWith("}\n")
        .doesNotContain("\n{")
        .contains("\"type\":\"report\"", "\"error\":\"WSAEISCONN\"",
            "\"socket\":\"java.net.Socket#7\"", "\"role\":\"first connect\"",
            "\"threadId\":1", "\"time\":\"2026-01-02T03:04:05Z\"", "\"target\":\"/127.0.0.1:1\"",
            "\"note\":\"a note\"",
            "\"fix\":\"Use a fresh socket.\""));
  }

  /** A connect after close whose close stack was not recorded; the first connect's was. */
  private static Report withoutCloseStack() {
    Attempt closed = new Attempt("closer", 9, Instant.parse("2026-01-02T03:04:06Z"), null,
        StackCapture.notRecorded(Tracker.CLOSE_NOT_RECORDED));
    return new Report(Pattern.CONNECT_AFTER_CLOSE, "java.net.Socket#7", "reused", "closed",
        closed, "this connect", attempt("/127.0.0.1:1"), null, Optional.empty(),
        "first connect", attempt("/127.0.0.1:1"));
  }

  @Test
  void aStackNotRecordedIsSaidSoWithTheOptionThatRecordsIt() {
    new TextReporter(out::add).report(withoutCloseStack());

    assertThat(out).singleElement().satisfies(block -> {
      assertThat(block).contains("  closed: thread \"closer\" (id 9) at 2026-01-02T03:04:06Z\n"
          + "      stack: not recorded; start the agent with stacks=all to record close stacks\n");
      // The socket's recorded stack comes first (it is the earliest), then the close, then the
      // offending connect.
      assertThat(block.indexOf("  first connect: thread \"main\""))
          .isNotNegative()
          .isLessThan(block.indexOf("  closed: "));
      assertThat(block.indexOf("  closed: ")).isLessThan(block.indexOf("  this connect: "));
      assertThat(ReportBlock.parse(block)).singleElement().satisfies(b -> {
        assertThat(b.stack("closed")).isEmpty();
        assertThat(b.thread("closed")).isEqualTo("closer");
        assertThat(b.stack("first connect")).hasSize(4);
        assertThat(b.stack("this connect")).hasSize(4);
      });
    });
  }

  @Test
  void aJsonLineSaysAStackWasNotRecordedAndCarriesTheOrigin() {
    new JsonLinesReporter(out::add).report(withoutCloseStack());

    assertThat(out).singleElement().satisfies(line -> assertThat(line)
        .contains("\"origin\":{\"role\":\"first connect\",\"thread\":\"main\"",
            "\"first\":{\"role\":\"closed\",\"thread\":\"closer\",\"threadId\":9,"
                + "\"time\":\"2026-01-02T03:04:06Z\",\"stack\":[],\"stackNote\":"
                + "\"not recorded; start the agent with stacks=all to record close stacks\"}")
        .containsOnlyOnce("stackNote"));
  }

  @Test
  void aReportWithoutOriginHasNoOriginSection() {
    new JsonLinesReporter(out::add).report(report(Optional.empty()));

    assertThat(out).singleElement()
        .satisfies(line -> assertThat(line).doesNotContain("\"origin\"", "stackNote"));
  }

  @Test
  void summariesCountEveryPattern() {
    Map<Pattern, Long> counts = new EnumMap<>(Pattern.class);
    for (Pattern p : Pattern.values()) {
      counts.put(p, 0L);
    }
    counts.put(Pattern.LEAKED_SOCKET, 100L);

    new TextReporter(out::add).summary(new Summary(counts, 0, 0, 100, 7));
    new TextReporter(out::add).summary(new Summary(
        new EnumMap<>(Map.of(Pattern.DOUBLE_CONNECT, 0L, Pattern.CONNECT_PENDING, 0L,
            Pattern.CONNECT_AFTER_CLOSE, 0L, Pattern.LEAKED_SOCKET, 0L)), 0, 0, 5, 0));
    new JsonLinesReporter(out::add).summary(new Summary(counts, 2, 1, 100, 7));

    assertThat(out.get(0)).startsWith("[redial-agent] summary: DOUBLE_CONNECT=0,")
        .contains("LEAKED_SOCKET=100", "sockets watched=100")
        .endsWith(", stacks not sampled=7\n");
    assertThat(out.get(1)).contains("no socket misuse seen");
    assertThat(out.get(2)).isEqualTo("{\"type\":\"summary\",\"counts\":{\"DOUBLE_CONNECT\":0,"
        + "\"CONNECT_PENDING\":0,\"CONNECT_AFTER_CLOSE\":0,\"LEAKED_SOCKET\":100},"
        + "\"suppressed\":2,\"internalErrors\":1,\"socketsWatched\":100,"
        + "\"stacksNotSampled\":7}\n");
  }
}
