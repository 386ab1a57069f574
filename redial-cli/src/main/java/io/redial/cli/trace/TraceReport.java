package io.redial.cli.trace;

import io.redial.errors.SocketError;
import io.redial.errors.SocketErrors;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Findings and the summary as text blocks, each line starting with {@code [redial trace]}. */
final class TraceReport {
  static final String PREFIX = "[redial trace] ";
  /** Frames printed per call: enough to reach the program's own code through a few libraries. */
  static final int MAX_FRAMES = 16;

  private static final Pattern INET = Pattern.compile(
      "sin_port=htons\\((\\d+)\\), sin_addr=inet_addr\\(\"([^\"]+)\"\\)");
  private static final Pattern INET6 = Pattern.compile(
      "sin6_port=htons\\((\\d+)\\).*?inet_pton\\(AF_INET6, \"([^\"]+)\"");
  private static final Pattern UNIX = Pattern.compile("sun_path=\"([^\"]*)\"");

  private final Addr2Line lines;

  TraceReport(Addr2Line lines) {
    this.lines = lines;
  }

  String render(TraceFinding f) {
    StringBuilder b = new StringBuilder(1024);
    b.append(PREFIX).append(f.pattern().heading()).append(": ").append(f.headline()).append('\n');
    b.append("  socket: ").append(f.socket()).append(", process ").append(f.second().pid())
        .append('\n');
    target(f.second()).ifPresent(t -> b.append("  target: ").append(t).append('\n'));
    if (f.first() == null) {
      b.append("  ").append(f.firstRole()).append(": before the trace began\n");
    } else {
      call(b, f.firstRole(), f.first());
    }
    call(b, "this connect", f.second());
    Optional<SocketError> e = SocketErrors.lookup(f.pattern().catalogName());
    if (e.isPresent()) {
      b.append("  what it means: ").append(e.get().summary()).append('\n');
      b.append("  fix: ").append(e.get().fix().replace('\n', ' ')).append('\n');
    }
    return b.toString();
  }

  private void call(StringBuilder b, String role, Syscall c) {
    b.append("  ").append(role).append(": thread ").append(c.pid()).append(", ").append(c.name())
        .append("(…) ").append(c.answer()).append('\n');
    List<Frame> frames = c.stack();
    if (frames.size() > MAX_FRAMES) {
      frames = frames.subList(0, MAX_FRAMES);
    }
    List<String> where = lines.resolve(frames);
    for (int i = 0; i < frames.size(); i++) {
      Frame f = frames.get(i);
      b.append("      at ").append(f.function().isEmpty() ? "?" : f.function());
      if (where.get(i) != null) {
        b.append(" (").append(where.get(i)).append(')');
      }
      b.append("  [").append(f.binary()).append("+0x").append(Long.toHexString(f.address()))
          .append("]\n");
    }
    if (c.stack().isEmpty()) {
      b.append("      (no stack: strace printed none for this call)\n");
    }
  }

  /** {@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code unix:/run/x.sock}. */
  static Optional<String> target(Syscall connect) {
    String a = connect.args();
    Matcher m = INET.matcher(a);
    if (m.find()) {
      return Optional.of(m.group(2) + ":" + m.group(1));
    }
    m = INET6.matcher(a);
    if (m.find()) {
      return Optional.of("[" + m.group(2) + "]:" + m.group(1));
    }
    m = UNIX.matcher(a);
    if (m.find()) {
      return Optional.of("unix:" + m.group(1));
    }
    return Optional.empty();
  }

  static String summary(Map<TracePattern, Integer> counts, int sockets, int open) {
    StringBuilder b = new StringBuilder(PREFIX).append("summary: ");
    if (counts.values().stream().mapToInt(Integer::intValue).sum() == 0) {
      b.append("no socket misuse seen; ");
    }
    for (TracePattern p : TracePattern.values()) {
      b.append(p.name()).append('=').append(counts.get(p)).append(", ");
    }
    return b.append("sockets seen=").append(sockets).append(", not closed by the program=")
        .append(open).append('\n').toString();
  }
}
