package io.redial.cli.attach;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Follows the file the agent copies its reports to, printing each complete line as it comes,
 * until the agent writes its last line, the target exits, or the time is up. Used by one thread.
 */
public final class TeeTail {
  /** The agent's last line in the file (AgentInstaller.WATCH_OVER). */
  public static final String WATCH_OVER = "watch over; the agent is inert now";
  /** Between two looks at the file. */
  static final long POLL_MILLIS = 100;

  /** How the watch ended. */
  public enum End { AGENT_DONE, TARGET_EXITED, TIME_UP }

  private final Path file;
  private final PrintWriter out;
  /** Bytes of the file printed so far (only whole lines are). */
  private long offset;
  /** Set when the agent's last line was read. */
  private boolean agentDone;

  public TeeTail(Path file, PrintWriter out) {
    this.file = file;
    this.out = out;
  }

  /**
   * Copies new lines to {@code out} until the agent says it is done, process {@code pid} is gone
   * (then the rest of the file is read), or {@code limit} has passed.
   */
  public End follow(long pid, Duration limit) throws IOException, InterruptedException {
    long polls = Math.max(1, limit.toMillis() / POLL_MILLIS);
    for (long i = 0; i <= polls; i++) {
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      copy();
      if (agentDone) {
        return End.AGENT_DONE;
      }
      if (!alive) {
        copy();
        return End.TARGET_EXITED;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return End.TIME_UP;
  }

  /** Prints the complete lines written since the last call. */
  void copy() throws IOException {
    byte[] bytes;
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long length = f.length();
      if (length <= offset) {
        return;
      }
      bytes = new byte[(int) Math.min(length - offset, 1 << 20)];
      f.seek(offset);
      f.readFully(bytes);
    }
    // A line still being written waits for the next round: cut at the last newline.
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] != '\n') {
      end--;
    }
    offset += end;
    for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
      if (line.endsWith(WATCH_OVER)) {
        agentDone = true;
      } else if (!line.isEmpty()) {
        out.println(line);
      }
    }
    out.flush();
  }
}
