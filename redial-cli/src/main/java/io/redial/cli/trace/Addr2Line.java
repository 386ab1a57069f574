package io.redial.cli.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Resolves stack frames to {@code file:line} with binutils' {@code addr2line}, for binaries built
 * with debug information. One {@code addr2line} run per binary and finding; results are cached.
 * A frame that does not resolve (no debug information, a stripped system library) keeps its
 * symbol. Used by one thread.
 */
final class Addr2Line {
  /** How long one addr2line run may take before its answer is dropped. */
  private static final long TIMEOUT_SECONDS = 20;

  private final Optional<Path> tool;
  private final Map<String, String> cache = new HashMap<>();

  /** {@code tool}: the addr2line executable, or empty to leave frames unresolved. */
  Addr2Line(Optional<Path> tool) {
    this.tool = tool;
  }

  boolean available() {
    return tool.isPresent();
  }

  /**
   * {@code file:line} for each frame, or null where unknown. The address of every frame but the
   * first is a return address, one past the call: the line of the call is that of address - 1.
   */
  List<String> resolve(List<Frame> frames) {
    Map<String, List<Integer>> byBinary = new HashMap<>();
    for (int i = 0; i < frames.size(); i++) {
      Frame f = frames.get(i);
      if (!cache.containsKey(key(f, i)) && worthResolving(f)) {
        byBinary.computeIfAbsent(f.binary(), b -> new ArrayList<>()).add(i);
      }
    }
    byBinary.forEach((binary, indexes) -> run(binary, indexes, frames));
    List<String> lines = new ArrayList<>(frames.size());
    for (int i = 0; i < frames.size(); i++) {
      lines.add(cache.get(key(frames.get(i), i)));
    }
    return lines;
  }

  /** System libraries rarely carry line information; asking costs a process per finding. */
  private static boolean worthResolving(Frame f) {
    String b = f.binary();
    return b.startsWith("/") && !b.startsWith("/usr/lib/") && !b.startsWith("/lib")
        && !b.startsWith("/usr/lib64/");
  }

  private static String key(Frame f, int index) {
    return f.binary() + "@" + Long.toHexString(address(f, index));
  }

  private static long address(Frame f, int index) {
    return index == 0 || f.address() == 0 ? f.address() : f.address() - 1;
  }

  private void run(String binary, List<Integer> indexes, List<Frame> frames) {
    if (tool.isEmpty()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of(tool.get().toString(), "-e", binary));
    for (int i : indexes) {
      command.add("0x" + Long.toHexString(address(frames.get(i), i)));
    }
    List<String> answer = new ArrayList<>();
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null && answer.size() < indexes.size()) {
          answer.add(line.strip());
        }
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return;
      }
    } catch (IOException e) {
      return; // the frames stay unresolved; the finding is still worth printing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    for (int k = 0; k < indexes.size() && k < answer.size(); k++) {
      String where = answer.get(k);
      int space = where.indexOf(" (discriminator");
      if (space > 0) {
        where = where.substring(0, space);
      }
      Frame f = frames.get(indexes.get(k));
      cache.put(key(f, indexes.get(k)), where.startsWith("??") || where.endsWith(":0")
          || where.endsWith(":?") ? null : where);
    }
  }
}
