package io.redial.errors;

import java.util.Locale;

/** An operating system whose error numbers differ: errno values are per OS, Winsock is Windows. */
public enum Os {
  LINUX,
  MACOS,
  WINDOWS;

  /**
   * Parses {@code linux}, {@code macos} (or {@code darwin}, {@code osx}) and {@code windows}
   * (or {@code win}), ignoring case.
   *
   * @throws IllegalArgumentException naming the value and what is allowed
   */
  public static Os parse(String value) {
    String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    switch (v) {
      case "linux":
        return LINUX;
      case "macos":
      case "darwin":
      case "osx":
      case "mac":
        return MACOS;
      case "windows":
      case "win":
        return WINDOWS;
      default:
        String shown = value == null ? "null" : value.length() > 40 ? value.substring(0, 40) + "…" : value;
        throw new IllegalArgumentException(
            "os: '" + shown + "' is not an operating system; allowed: linux, macos, windows");
    }
  }

  /** The OS this JVM runs on; anything that is neither Windows nor macOS counts as Linux. */
  public static Os current() {
    String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (name.startsWith("windows")) {
      return WINDOWS;
    }
    return name.contains("mac") || name.contains("darwin") ? MACOS : LINUX;
  }

  /** The name people write: {@code Linux}, {@code macOS}, {@code Windows}. */
  public String displayName() {
    switch (this) {
      case LINUX:
        return "Linux";
      case MACOS:
        return "macOS";
      default:
        return "Windows";
    }
  }
}
