package io.redial.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The packaged agent is one self-contained jar that cannot clash with the host's libraries. */
class AgentJarIT {

  @Test
  void manifestMakesItAnAgentThatMayRetransformJdkClasses() throws Exception {
    try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();

      assertThat(main.getValue("Premain-Class")).isEqualTo(AgentMain.class.getName());
      assertThat(main.getValue("Agent-Class")).isEqualTo(AgentMain.class.getName());
      assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
      assertThat(main.getValue("Can-Redefine-Classes")).isEqualTo("true");
    }
  }

  @Test
  void byteBuddyIsInsideAndRelocatedAndTheCatalogIsIncluded() throws Exception {
    try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
      List<String> names = jar.stream().map(JarEntry::getName).toList();

      assertThat(names)
          .contains("io/redial/internal/agent/shaded/bytebuddy/asm/Advice.class",
              "io/redial/errors/SocketErrors.class",
              "io/redial/internal/agent/boot/Hooks.class")
          .noneMatch(n -> n.contains("net/bytebuddy/"))
          .noneMatch(n -> n.endsWith("module-info.class"));
    }
  }
}
