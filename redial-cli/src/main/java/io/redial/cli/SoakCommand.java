package io.redial.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What {@code redial demo} and {@code redial chaos} share, both being presets of one soak: the
 * seed, bad {@code --connections} and {@code --duration} values as usage errors, Redial's logs
 * kept to errors (the soak reports the reconnects), and the exit status.
 *
 * @param <O> the preset's validated options
 */
@Command(mixinStandardHelpOptions = true, versionProvider = RedialCommand.Version.class,
    defaultValueProvider = SoakCommand.Defaults.class)
abstract class SoakCommand<O> implements Callable<Integer> {
  /** Exit status when an invariant did not hold. */
  static final int EXIT_FAILED = 1;
  private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  @Spec CommandSpec spec;

  @Option(names = "--connections", paramLabel = "N",
      description = "Managed connections (default: ${DEFAULT-VALUE}; the range is below).")
  int connections;

  @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
      description = "How long faults are played, e.g. 10s, 1m, 90 (seconds) (default: "
          + "${DEFAULT-VALUE}; the range is below).")
  Duration duration;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of the faults: their order, kinds and values (default: random, printed).")
  Long seed;

  private final String defaultConnections;
  private final String defaultDuration;

  /** The preset's defaults, as the user would type them. */
  SoakCommand(int defaultConnections, String defaultDuration) {
    this.defaultConnections = String.valueOf(defaultConnections);
    this.defaultDuration = defaultDuration;
  }

  /** The defaults of {@code --connections} and {@code --duration}: the command's own. */
  static final class Defaults implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
      if (arg instanceof OptionSpec option
          && arg.command().userObject() instanceof SoakCommand<?> command) {
        return switch (option.longestName()) {
          case "--connections" -> command.defaultConnections;
          case "--duration" -> command.defaultDuration;
          default -> null;
        };
      }
      return null;
    }
  }

  /** The options, checked; an {@link IllegalArgumentException} starts with the bad one's name. */
  abstract O options(long seed);

  /** Further checks, and what must happen before anything loads Netty; before the run. */
  void prepare(O options) {}

  /** Runs the soak and prints its verdict; whether every invariant held. */
  abstract boolean run(O options, PrintWriter out) throws Exception;

  @Override
  public final Integer call() throws Exception {
    O options;
    try {
      options = options(seed != null ? seed : new SplittableRandom().nextLong());
    } catch (IllegalArgumentException e) {
      String option = e.getMessage().startsWith("connections") ? "--connections" : "--duration";
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
    prepare(options);
    if (System.getProperty(LOG_LEVEL) == null) {
      System.setProperty(LOG_LEVEL, "error");
    }
    PrintWriter out = spec.commandLine().getOut();
    boolean passed = run(options, out);
    out.flush();
    return passed ? 0 : EXIT_FAILED;
  }
}
