package io.redial.testkit.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts this process's open file descriptors through {@code /proc/self/fd} (Linux only): the
 * ground truth for "did a socket leak", whatever library opened it.
 */
public final class FileDescriptors {
  private static final Path FD_DIR = Path.of("/proc/self/fd");
  /** A process cannot hold more than this many on any sane system; bounds the listing loop. */
  private static final int MAX_ENTRIES = 1 << 20;

  private FileDescriptors() {}

  /** Whether counting works here. */
  public static boolean supported() {
    return Files.isDirectory(FD_DIR);
  }

  /** Why counting does not work here, for assumption and report messages. */
  public static String unsupportedReason() {
    return "open file descriptors are counted through /proc/self/fd, which exists only on Linux (os.name="
        + System.getProperty("os.name") + ")";
  }

  /** Open file descriptors of every kind. */
  public static int open() {
    return count(false);
  }

  /** Open sockets (descriptors whose link reads {@code socket:[inode]}). */
  public static int sockets() {
    return count(true);
  }

  private static int count(boolean socketsOnly) {
    int n = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(FD_DIR)) {
      for (Path p : dir) {
        if (++n > MAX_ENTRIES) {
          break;
        }
        if (socketsOnly && !isSocket(p)) {
          n--;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + FD_DIR, e);
    }
    return n;
  }

  private static boolean isSocket(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString().startsWith("socket:");
    } catch (IOException e) {
      return false; // closed between listing and reading: it is not open any more
    }
  }
}
