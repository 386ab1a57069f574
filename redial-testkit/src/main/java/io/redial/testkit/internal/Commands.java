package io.redial.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs short system commands ({@code ip}, {@code nft}) for the kernel faults: bounded in time,
 * output captured, and a failure that names the command, its exit status and what it printed.
 */
public final class Commands {
  /** Every command here is quick; a loaded machine still finishes within this. */
  public static final long TIMEOUT_SECONDS = 30;
  /** Where Debian keeps {@code ip} and {@code nft}; searched besides {@code PATH}. */
  private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  private Commands() {}

  /** What a finished command printed, and its exit status. */
  public record Result(int status, String out) {}

  /** Runs {@code command} with {@code stdin} (may be null); throws unless it exits with 0. */
  public static String run(List<String> command, String stdin) {
    Result r = tryRun(command, stdin);
    if (r.status() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + r.status()
          + (stdin == null ? "" : " (input: " + stdin.strip().replace('\n', ';') + ")")
          + ": " + r.out().strip());
    }
    return r.out();
  }

  /** Runs {@code command}; its exit status and output (stdout and stderr together). */
  public static Result tryRun(List<String> command, String stdin) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
    try {
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
      if (stdin != null) {
        try (OutputStream in = p.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException(String.join(" ", command) + " did not finish within "
            + TIMEOUT_SECONDS + " s");
      }
      return new Result(p.exitValue(), out.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    } catch (IOException | java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("running " + String.join(" ", command) + " failed: " + e, e);
    } finally {
      p.destroyForcibly();
    }
  }

  /** Whether {@code program} is an executable in {@code PATH} or one of the sbin directories. */
  public static boolean installed(String program) {
    String path = System.getenv("PATH");
    java.util.Set<String> dirs = new java.util.LinkedHashSet<>();
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    dirs.addAll(SBIN);
    for (String dir : dirs) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private static String readAll(InputStream in) {
    try (in) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }
}
