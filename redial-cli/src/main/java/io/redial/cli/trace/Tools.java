package io.redial.cli.trace;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the programs {@code redial trace} runs (strace, addr2line) on a search path. */
public final class Tools {
  /** What to tell someone whose machine lacks strace. */
  public static final String INSTALL_STRACE = "redial trace needs strace, which is not"
      + " installed (or not on PATH). Install it: on Debian or Ubuntu 'sudo apt-get install"
      + " strace', on Fedora or RHEL 'sudo dnf install strace', on Alpine 'apk add strace'.";
  /** What to tell someone whose machine lacks addr2line. */
  public static final String INSTALL_BINUTILS = "addr2line (from binutils) is not installed:"
      + " frames are shown as symbol+offset, not file:line. Install it: on Debian or Ubuntu"
      + " 'sudo apt-get install binutils', on Fedora or RHEL 'sudo dnf install binutils'.";

  private Tools() {}

  /** The first executable called {@code name} in the directories of {@code searchPath}. */
  public static Optional<Path> find(String name, String searchPath) {
    if (searchPath == null) {
      return Optional.empty();
    }
    for (String dir : searchPath.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      try {
        Path p = Path.of(dir, name);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      } catch (InvalidPathException e) {
        // A malformed entry in PATH: the shell would skip it too.
      }
    }
    return Optional.empty();
  }

  /** Whether this is Linux, the only system strace runs on. */
  public static boolean isLinux(String osName) {
    return osName != null && osName.startsWith("Linux");
  }
}
