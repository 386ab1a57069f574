package io.redial.cli.attach;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds {@code redial-agent.jar} for {@code redial attach} and {@code redial sockets}. */
public final class AgentJar {
  private AgentJar() {}

  /**
   * The places looked at, in order: {@code given} (the --agent-jar option), the system property
   * {@code redial.agent.jar}, the environment variable {@code REDIAL_AGENT_JAR}, a
   * {@code redial-agent.jar} beside the running {@code redial.jar}, and the build tree's
   * {@code redial-agent/target/redial-agent.jar} next to {@code redial-cli/target/redial.jar}.
   */
  public static List<Path> candidates(Path given) {
    List<Path> c = new ArrayList<>();
    if (given != null) {
      c.add(given);
      return c;
    }
    String prop = System.getProperty("redial.agent.jar");
    if (prop != null && !prop.isBlank()) {
      c.add(Path.of(prop));
    }
    String env = System.getenv("REDIAL_AGENT_JAR");
    if (env != null && !env.isBlank()) {
      c.add(Path.of(env));
    }
    ownJar().ifPresent(jar -> {
      Path dir = jar.toAbsolutePath().getParent();
      if (dir != null) {
        c.add(dir.resolve("redial-agent.jar"));
        Path module = dir.getParent();
        if (module != null && module.getParent() != null) {
          c.add(module.getParent().resolve("redial-agent/target/redial-agent.jar"));
        }
      }
    });
    return c;
  }

  /** The first candidate that is a file. */
  public static Optional<Path> find(Path given) {
    return candidates(given).stream().filter(Files::isRegularFile).findFirst();
  }

  private static Optional<Path> ownJar() {
    try {
      var source = AgentJar.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return Optional.empty();
      }
      return Optional.of(Path.of(source.getLocation().toURI()));
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
