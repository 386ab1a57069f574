package io.redial.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the CLI in-process with captured output. */
record CliRun(int exit, String out, String err) {

  static CliRun run(String... args) {
    CommandLine cl = RedialCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** What the CLI printed to stderr when it refused {@code args} as bad usage (exit status 2). */
  static String refused(String... args) {
    CliRun r = run(args);
    assertThat(r.exit()).as("exit status; stderr: %s", r.err()).isEqualTo(RedialCommand.EXIT_USAGE);
    return r.err();
  }

  /** The help of {@code command}, which must exit 0. */
  static String help(String command) {
    CliRun r = run(command, "--help");
    assertThat(r.exit()).isZero();
    return r.out();
  }
}
