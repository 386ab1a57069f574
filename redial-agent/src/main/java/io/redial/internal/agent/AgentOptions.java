package io.redial.internal.agent;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's options, from {@code -javaagent:redial-agent.jar=report=file:/tmp/r.jsonl,leaks=off}.
 *
 * @param reportFile where JSON lines go; empty means the human-readable report on stderr
 * @param leaks whether unclosed sockets that get garbage-collected are reported
 * @param stackDepth how many frames each recorded stack keeps
 * @param watchMillis when positive: after this many milliseconds the agent prints its summary and
 *     goes inert (every probe returns at its first check); {@code redial attach --watch} sets it
 * @param tee where a copy of the human-readable reports goes while the agent is active (the
 *     {@code redial attach} terminal reads it); empty for none
 * @param socketsFile when present, this load only writes the active agent's live socket table
 *     there ({@code redial sockets}), and changes nothing else
 * @param allStacks {@code stacks=all}: every open, connect and close records its stack; by
 *     default ({@code stacks=one}) only a socket's first operation does, and the offending call
 *     of a misuse
 * @param stackRate how many stacks a second the agent records at most, the offending call's of a
 *     misuse aside (always recorded): 0 to {@value StackBudget#MAX_RATE}, or
 *     {@link StackBudget#UNLIMITED}; {@value #DEFAULT_STACK_RATE} by default, unlimited by
 *     default with {@code stacks=all}
 */
public record AgentOptions(Optional<Path> reportFile, boolean leaks, int stackDepth,
    long watchMillis, Optional<Path> tee, Optional<Path> socketsFile, boolean allStacks,
    int stackRate) {
  /** Frames kept per stack unless {@code stackDepth} says otherwise. */
  public static final int DEFAULT_STACK_DEPTH = 32;
  /** The deepest stack the agent records; deeper costs time at every connect for little use. */
  public static final int MAX_STACK_DEPTH = 1024;
  /**
   * Stacks recorded per second at most by default: every socket's stack for an application
   * opening fewer sockets than that, and a ceiling of a few milliseconds of CPU a second above.
   */
  public static final int DEFAULT_STACK_RATE = 1000;
  /** Longest options string accepted; the JVM passes whatever the command line holds. */
  static final int MAX_LENGTH = 4096;

  private static final String KNOWN = "report=stderr|file:PATH, leaks=on|off, stackDepth=1.."
      + MAX_STACK_DEPTH + ", stacks=one|all, stackRate=0.." + StackBudget.MAX_RATE
      + "|unlimited, watch=MILLIS, tee=file:PATH, sockets=file:PATH";

  public AgentOptions {
    Objects.requireNonNull(reportFile, "reportFile");
    Objects.requireNonNull(tee, "tee");
    Objects.requireNonNull(socketsFile, "socketsFile");
    if (watchMillis < 0) {
      throw new IllegalArgumentException("watch must be 0 (none) or positive, got " + watchMillis);
    }
    if (stackDepth < 1 || stackDepth > MAX_STACK_DEPTH) {
      throw new IllegalArgumentException(
          "stackDepth must be between 1 and " + MAX_STACK_DEPTH + ", got " + stackDepth);
    }
    if (stackRate != StackBudget.UNLIMITED && (stackRate < 0 || stackRate > StackBudget.MAX_RATE)) {
      throw new IllegalArgumentException("stackRate must be between 0 and " + StackBudget.MAX_RATE
          + " or unlimited (" + StackBudget.UNLIMITED + "), got " + stackRate);
    }
  }

  /** As {@code -javaagent} gets them when {@code stackRate} is not given. */
  public AgentOptions(Optional<Path> reportFile, boolean leaks, int stackDepth,
      long watchMillis, Optional<Path> tee, Optional<Path> socketsFile, boolean allStacks) {
    this(reportFile, leaks, stackDepth, watchMillis, tee, socketsFile, allStacks,
        allStacks ? StackBudget.UNLIMITED : DEFAULT_STACK_RATE);
  }

  /** Options without a watch or a tee, one stack per socket, as {@code -javaagent} usually gets. */
  public AgentOptions(Optional<Path> reportFile, boolean leaks, int stackDepth) {
    this(reportFile, leaks, stackDepth, 0, Optional.empty(), Optional.empty(), false);
  }

  /** Report on stderr, leaks on, {@value #DEFAULT_STACK_DEPTH} frames, one stack per socket. */
  public static AgentOptions defaults() {
    return new AgentOptions(Optional.empty(), true, DEFAULT_STACK_DEPTH);
  }

  /**
   * Parses the agent argument: comma-separated {@code key=value} pairs, null or blank for the
   * defaults.
   *
   * @throws IllegalArgumentException naming the option, the value and what is allowed
   */
  public static AgentOptions parse(String args) {
    AgentOptions options = defaults();
    if (args == null || args.isBlank()) {
      return options;
    }
    if (args.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("redial-agent options are " + args.length()
          + " characters long; at most " + MAX_LENGTH + " are allowed");
    }
    Optional<Path> report = options.reportFile();
    boolean leaks = options.leaks();
    int depth = options.stackDepth();
    long watch = 0;
    Optional<Path> tee = Optional.empty();
    Optional<Path> sockets = Optional.empty();
    boolean allStacks = options.allStacks();
    Integer rate = null; // not given: the default for the stacks mode
    for (String part : args.split(",", -1)) {
      String item = part.strip();
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("redial-agent option '" + item
            + "' is not of the form key=value; allowed: " + KNOWN);
      }
      String key = item.substring(0, eq).strip();
      String value = item.substring(eq + 1).strip();
      switch (key) {
        case "report" -> report = parseReport(value);
        case "leaks" -> leaks = parseSwitch(key, value);
        case "stackDepth" -> depth = parseDepth(value);
        case "stacks" -> allStacks = parseStacks(value);
        case "stackRate" -> rate = parseRate(value);
        case "watch" -> watch = parseWatch(value);
        case "tee" -> tee = parseFile("tee", value);
        case "sockets" -> sockets = parseFile("sockets", value);
        default -> throw new IllegalArgumentException("redial-agent option '" + key
            + "' is unknown (value '" + value + "'); allowed: " + KNOWN);
      }
    }
    return rate == null
        ? new AgentOptions(report, leaks, depth, watch, tee, sockets, allStacks)
        : new AgentOptions(report, leaks, depth, watch, tee, sockets, allStacks, rate);
  }

  private static int parseRate(String value) {
    if (value.equalsIgnoreCase("unlimited")) {
      return StackBudget.UNLIMITED;
    }
    if (value.matches("[0-9]{1,7}") && Integer.parseInt(value) <= StackBudget.MAX_RATE) {
      return Integer.parseInt(value);
    }
    throw new IllegalArgumentException("redial-agent option stackRate='" + value
        + "' is not allowed; use a whole number of stacks a second from 0 to "
        + StackBudget.MAX_RATE + " (0: only a misuse's offending call) or stackRate=unlimited");
  }

  private static long parseWatch(String value) {
    if (value.matches("[0-9]{1,12}")) {
      return Long.parseLong(value);
    }
    throw new IllegalArgumentException("redial-agent option watch='" + value
        + "' is not allowed; use a whole number of milliseconds (0: no watch)");
  }

  private static Optional<Path> parseFile(String key, String value) {
    if (value.startsWith("file:") && value.length() > "file:".length()) {
      try {
        return Optional.of(Path.of(value.substring("file:".length())));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("redial-agent option " + key + "='" + value
            + "' names an invalid path: " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException("redial-agent option " + key + "='" + value
        + "' is not allowed; use " + key + "=file:PATH");
  }

  private static Optional<Path> parseReport(String value) {
    if (value.equals("stderr")) {
      return Optional.empty();
    }
    if (value.startsWith("file:") && value.length() > "file:".length()) {
      return parseFile("report", value);
    }
    throw new IllegalArgumentException("redial-agent option report='" + value
        + "' is not allowed; use report=stderr or report=file:PATH");
  }

  private static boolean parseSwitch(String key, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "on", "true" -> true;
      case "off", "false" -> false;
      default -> throw new IllegalArgumentException("redial-agent option " + key + "='" + value
          + "' is not allowed; use " + key + "=on or " + key + "=off");
    };
  }

  private static boolean parseStacks(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "one" -> false;
      case "all" -> true;
      default -> throw new IllegalArgumentException("redial-agent option stacks='" + value
          + "' is not allowed; use stacks=one (one stack per socket, the default) or stacks=all"
          + " (every open, connect and close)");
    };
  }

  private static int parseDepth(String value) {
    int depth;
    try {
      depth = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      depth = -1;
    }
    if (depth < 1 || depth > MAX_STACK_DEPTH || !value.matches("[0-9]+")) {
      throw new IllegalArgumentException("redial-agent option stackDepth='" + value
          + "' is not allowed; use a whole number from 1 to " + MAX_STACK_DEPTH);
    }
    return depth;
  }
}
