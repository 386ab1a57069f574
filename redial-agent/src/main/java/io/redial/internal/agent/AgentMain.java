package io.redial.internal.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Entry point of {@code -javaagent:redial-agent.jar[=options]}.
 *
 * <p>This class must not touch {@code io.redial.internal.agent.boot}: those classes have to be
 * loaded by the bootstrap loader (JDK classes call them), which only works if nothing loaded them
 * from the agent jar first. So it writes them to a small jar, appends that to the bootstrap
 * search path, and only then hands over to {@link AgentInstaller}.
 */
public final class AgentMain {
  static final String[] BOOT_CLASSES = {
    "io/redial/internal/agent/boot/Hooks.class", "io/redial/internal/agent/boot/Probe.class"
  };

  /** The boot classes are on the bootstrap path once per JVM, however often it is attached. */
  private static final java.util.concurrent.atomic.AtomicBoolean BOOT_JAR_ADDED =
      new java.util.concurrent.atomic.AtomicBoolean();

  private AgentMain() {}

  /**
   * Options the agent refused: also tell the {@code redial attach} terminal, through the tee
   * file its options name (found by hand, since the options did not parse).
   */
  private static void tellAttach(String args, String message) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^|,)\\s*tee=file:([^,]+)")
        .matcher(args == null ? "" : args);
    if (!m.find()) {
      return;
    }
    try (PrintStream tee = new PrintStream(new java.io.FileOutputStream(m.group(1).strip(), true),
        true, java.nio.charset.StandardCharsets.UTF_8)) {
      tee.println(TextReporter.PREFIX + message);
      tee.println(TextReporter.PREFIX + AgentInstaller.WATCH_OVER);
    } catch (IOException | RuntimeException e) {
      // The message is on the target's stderr already.
    }
  }

  public static void premain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, true);
  }

  private static void start(String args, Instrumentation inst, boolean attached) {
    PrintStream err = System.err;
    AgentOptions options;
    try {
      options = AgentOptions.parse(args);
    } catch (IllegalArgumentException e) {
      // A typo in the options must not stop the application: say so plainly and stay out.
      err.println(TextReporter.PREFIX + "disabled: " + e.getMessage());
      tellAttach(args, "disabled: " + e.getMessage());
      return;
    }
    if (options.socketsFile().isPresent()) {
      try {
        AgentInstaller.writeSocketTable(options.socketsFile().get());
      } catch (IOException | RuntimeException e) {
        err.println(TextReporter.PREFIX + "cannot write the socket table: " + e);
      }
      return; // a question, not an install
    }
    try {
      if (!BOOT_JAR_ADDED.getAndSet(true)) {
        inst.appendToBootstrapClassLoaderSearch(new JarFile(writeBootJar().toFile()));
      }
      AgentInstaller.install(inst, options, err, attached);
    } catch (Throwable t) {
      err.println(TextReporter.PREFIX + "INTERNAL ERROR at start-up; the agent is off, the"
          + " application is not affected:");
      t.printStackTrace(err);
    }
  }

  private static Path writeBootJar() throws IOException {
    Path jar = Files.createTempFile("redial-agent-boot", ".jar");
    jar.toFile().deleteOnExit();
    ClassLoader loader = AgentMain.class.getClassLoader();
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      for (String name : BOOT_CLASSES) {
        try (InputStream in = loader.getResourceAsStream(name)) {
          if (in == null) {
            throw new IOException("agent jar lacks " + name);
          }
          out.putNextEntry(new JarEntry(name));
          in.transferTo(out);
          out.closeEntry();
        }
      }
    }
    return jar;
  }
}
