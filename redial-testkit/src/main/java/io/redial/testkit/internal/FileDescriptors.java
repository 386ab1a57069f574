package io.redial.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Counts this process's open file descriptors through {@code /proc/self/fd} (Linux only): the
 * ground truth for "did a socket leak", whatever library opened it.
 */
public final class FileDescriptors {
  private static final Path FD_DIR = Path.of("/proc/self/fd");
  private static final Path UNIX_TABLE = Path.of("/proc/self/net/unix");
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

  /**
   * Open network sockets: descriptors whose link reads {@code socket:[inode]}, minus Unix-domain
   * sockets. The JDK opens one Unix socket pair per JVM, lazily, the first time it closes a channel
   * another thread is using (its "pre-close" descriptor) and keeps it: counting it would blame
   * whichever test happened to run first.
   */
  public static int sockets() {
    return count(true);
  }

  private static int count(boolean socketsOnly) {
    Set<String> unix = socketsOnly ? unixSocketInodes() : Set.of();
    int n = 0;
    int seen = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(FD_DIR)) {
      for (Path p : dir) {
        if (++seen > MAX_ENTRIES) {
          break;
        }
        if (!socketsOnly || isNetworkSocket(p, unix)) {
          n++;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + FD_DIR, e);
    }
    return n;
  }

  private static boolean isNetworkSocket(Path fd, Set<String> unixInodes) {
    String link;
    try {
      link = Files.readSymbolicLink(fd).toString();
    } catch (IOException e) {
      return false; // closed between listing and reading: it is not open any more
    }
    if (!link.startsWith("socket:[") || !link.endsWith("]")) {
      return false;
    }
    return !unixInodes.contains(link.substring("socket:[".length(), link.length() - 1));
  }

  /** Inodes of the Unix-domain sockets visible to this process (column 7 of /proc/self/net/unix). */
  private static Set<String> unixSocketInodes() {
    Set<String> inodes = new HashSet<>();
    try (Stream<String> lines = Files.lines(UNIX_TABLE)) {
      lines.skip(1).limit(MAX_ENTRIES).forEach(line -> {
        String[] cols = line.trim().split("\\s+");
        if (cols.length > 6) {
          inodes.add(cols[6]);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      return Set.of(); // no table: count every socket, which can only over-report
    }
    return inodes;
  }
}
