package io.redial.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code redial} command. A subcommand is added by naming its class in {@code subcommands};
 * error handling (no stack traces, bounded messages, exit statuses) applies to all of them.
 *
 * <p>Exit statuses: 0 success, 1 "nothing found" (for {@code explain}), 2 bad usage, 70 an
 * internal error.
 */
@Command(
    name = "redial",
    mixinStandardHelpOptions = true,
    versionProvider = RedialCommand.Version.class,
    description = "Self-healing TCP connections for the JVM, and the tools to explain socket errors.",
    subcommands = {
        ExplainCommand.class,
        DemoCommand.class,
        ProxyCommand.class,
        ProbeCommand.class,
        ChaosCommand.class,
        TraceCommand.class,
        AttachCommand.class,
        SocketsCommand.class,
    })
public final class RedialCommand implements Callable<Integer> {

  /** Exit status for bad usage (picocli's convention). */
  public static final int EXIT_USAGE = 2;
  /** Exit status for a bug in redial itself (sysexits.h EX_SOFTWARE). */
  public static final int EXIT_INTERNAL = 70;
  /** Longest piece of user input echoed back in a message; the rest is elided. */
  static final int MAX_ECHO = 120;

  @Spec CommandSpec spec;

  /** Runs the command and exits with its status. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for {@link #main} and for tests. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new RedialCommand());
    cl.setParameterExceptionHandler(RedialCommand::badUsage);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> internalError(e, commandLine));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing command; see the list above");
  }

  /** A short message naming what was wrong, and where to read more; never a stack trace. */
  private static int badUsage(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    if (cl.getCommandSpec().userObject() instanceof RedialCommand) {
      cl.usage(err, cl.getColorScheme());
    }
    err.println(cl.getCommandName() + ": " + Terminal.sanitize(e.getMessage(), 400));
    err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return EXIT_USAGE;
  }

  private static int internalError(Exception e, CommandLine cl) {
    PrintWriter err = cl.getErr();
    err.println("redial: internal error: " + e.getClass().getName() + ": "
        + Terminal.sanitize(String.valueOf(e.getMessage()), 400));
    if (System.getenv("REDIAL_DEBUG") != null) {
      e.printStackTrace(err);
    } else {
      err.println("Set REDIAL_DEBUG=1 to see the stack trace, and please report it.");
    }
    err.flush();
    return EXIT_INTERNAL;
  }

  /** The version, from the build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = RedialCommand.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
          "redial " + p.getProperty("version", "unknown"),
          "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
              + "), " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
      };
    }
  }
}
