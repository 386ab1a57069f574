package io.redial.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whichever class a JVM touches first, every kind is there: {@code ConnectBenchmark} loads
 * {@link RawClient} before {@link ClientKind}, and a list of kinds built while a kind's own class
 * was still initializing once held a null there. Each case loads the bench's classes afresh.
 */
class ClientKindInitTest {
  @Test
  void everyKindIsThereWhicheverClassLoadsFirst() throws Exception {
    for (String first : List.of("RawClient", "ReactorClient", "VertxClient", "HandRolledClient",
        "RedialKind", "ClientKind")) {
      try (ChildFirst loader = new ChildFirst()) {
        Class.forName(ClientKind.class.getPackageName() + "." + first, true, loader);
        Class<?> kinds = Class.forName(ClientKind.class.getName(), true, loader);
        List<?> echo = (List<?>) kinds.getMethod("echo").invoke(null);
        assertThat(echo).as("kinds after loading %s first", first).hasSize(5).doesNotContainNull();
      }
    }
  }

  /** Loads this package's classes itself, everything else from the test's own loader. */
  private static final class ChildFirst extends URLClassLoader {
    ChildFirst() {
      super(new URL[] {ClientKind.class.getProtectionDomain().getCodeSource().getLocation()},
          ClientKindInitTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(ClientKind.class.getPackageName() + ".")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        return c != null ? c : findClass(name);
      }
    }
  }
}
