package io.redial.testing;

import java.io.File;

/** Open file descriptors of this process, from /proc/self/fd (Linux). */
public final class Fds {
  private Fds() {}

  public static boolean supported() {
    return new File("/proc/self/fd").isDirectory();
  }

  public static int count() {
    String[] fds = new File("/proc/self/fd").list();
    if (fds == null) {
      throw new IllegalStateException("/proc/self/fd is not readable");
    }
    return fds.length;
  }
}
