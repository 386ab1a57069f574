package io.redial.cli.soak;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@code redial demo}: the soak with the {@link Schedule#scripted scripted} schedule, a live
 * view, and an HTML report; a few dozen connections, each fault once.
 *
 * <p>Time: the system's monotonic clock (the CLI may read it directly); every wait is bounded.
 */
public final class DemoRun {
  /** Each connection sends one frame per tick while the script runs. */
  static final Duration SEND_EVERY = Duration.ofMillis(100);
  /** Frames a connection may have in flight without an echo; beyond it, it skips a tick. */
  static final int WINDOW = 1_000;
  /**
   * The bound on everything after the duration: late echoes (3 s), closing (4 s), sockets and
   * futures settling (2 x 5 s), the event loops' shutdown.
   */
  static final Duration MAX_SHUTDOWN = Duration.ofSeconds(25);
  static final Soak.Preset PRESET = new Soak.Preset("demo-%02d", Duration.ofMillis(50), WINDOW,
      SEND_EVERY, Duration.ofMillis(20), true, Duration.ofSeconds(3), Duration.ofSeconds(4),
      false, false, true, true, Duration.ZERO);

  /**
   * What to run.
   *
   * @param report where to write the HTML report, or null
   */
  public record Options(int connections, Duration duration, long seed, Path report) {
    /** Most connections: each is a socket pair through the proxy plus one to the server. */
    public static final int MAX_CONNECTIONS = 1_000;

    public Options {
      if (connections < 1 || connections > MAX_CONNECTIONS) {
        throw new IllegalArgumentException("connections is " + connections + "; allowed: 1 to "
            + MAX_CONNECTIONS);
      }
      Schedule.scripted(seed, duration); // checks the duration, naming the allowed range
    }
  }

  /** The outcome: the verdict, and the report's path if one was written. */
  public record Result(boolean passed, List<String> verdictLines, Optional<Path> report) {}

  private final Options options;
  private final PrintWriter out;
  private final LiveView view;
  private final HtmlReport html;

  /**
   * @param inPlace redraw the live view in place (a terminal) rather than print lines
   * @param emphasis highlighting for the view (colour, or identity)
   * @param json a JSON writer for the report's data
   */
  public DemoRun(Options options, PrintWriter out, boolean inPlace,
      UnaryOperator<String> emphasis, Function<Object, String> json) {
    this.options = options;
    this.out = out;
    this.view = new LiveView(out, inPlace, emphasis);
    this.html = new HtmlReport(json);
  }

  /** Runs the demo. Throws only for a failure of the demo's own machinery. */
  public Result run() throws InterruptedException {
    Schedule schedule = Schedule.scripted(options.seed(), options.duration());
    long total = options.duration().toMillis();
    Duration viewEvery = view.inPlace() ? Duration.ofMillis(250)
        : Duration.ofMillis(Math.max(1_000, total / 30));
    Soak.Preset preset = PRESET.withViewEvery(viewEvery);
    Soak soak = new Soak(preset, Traffic.numberedFrames(), out, m -> view.update(
        new LiveView.Snapshot(m.elapsedNanos() / 1_000_000, total, m.states(),
            m.total().reconnects(), m.total().sent(), m.total().echoed(), m.queued(), m.fault())));
    Soak.Outcome outcome = soak.run(options.connections(), schedule, where -> {
      out.println("redial demo: " + options.connections() + " connections -> " + where + ", "
          + Schedule.human(options.duration()) + ", seed " + options.seed());
      for (Step s : schedule.steps()) {
        out.println(String.format(Locale.ROOT, "  %6.2fs  %s", s.start().toMillis() / 1000.0,
            s.label()) + (s.instant() ? "" : String.format(Locale.ROOT, " (%.2fs)",
            s.end().minus(s.start()).toMillis() / 1000.0)));
      }
      out.flush();
    });
    Verdict verdict = outcome.verdict();
    Optional<Path> report = Optional.empty();
    if (options.report() != null) {
      List<HtmlReport.Row> rows = new ArrayList<>();
      for (Soak.Row r : outcome.rows()) {
        rows.add(new HtmlReport.Row(r.name(),
            HtmlReport.spans(r.transitions(), outcome.startNanos(), outcome.endNanos())));
      }
      String page = html.render(new HtmlReport.Content(options.seed(), options.duration(),
          options.connections(), verdict.table(), verdict.passed(), schedule.steps(), rows));
      try {
        Path parent = options.report().toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(options.report(), page);
        report = Optional.of(options.report());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the report to " + options.report(), e);
      }
    }
    return new Result(verdict.passed(), verdict.table(), report);
  }
}
