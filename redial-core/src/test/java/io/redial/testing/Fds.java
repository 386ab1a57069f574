package io.redial.testing;

import java.io.File;

/** Open file descriptors of this process, from /proc/self/fd (Linux). */
public final class Fds {
  private Fds() {}

  public static boolean supported() {
    return new File("/proc/self/fd").isDirectory();
  }

  /** Open socket descriptors: other files (jars opened by class loading) do not count. */
  public static int sockets() {
    File[] fds = new File("/proc/self/fd").listFiles();
    if (fds == null) {
      throw new IllegalStateException("/proc/self/fd is not readable");
    }
    int n = 0;
    for (File fd : fds) {
      try {
        if (java.nio.file.Files.readSymbolicLink(fd.toPath()).toString().startsWith("socket:")) {
          n++;
        }
      } catch (java.io.IOException | UnsupportedOperationException e) {
        // closed while we looked: not open
      }
    }
    return n;
  }

  public static int count() {
    String[] fds = new File("/proc/self/fd").list();
    if (fds == null) {
      throw new IllegalStateException("/proc/self/fd is not readable");
    }
    return fds.length;
  }
}
