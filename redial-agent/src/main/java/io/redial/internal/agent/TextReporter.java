package io.redial.internal.agent;

import io.redial.errors.SocketError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Consumer;

/** Human-readable blocks, each starting with {@code [redial-agent]}, written as one piece. */
final class TextReporter implements Reporter {
  static final String PREFIX = "[redial-agent] ";

  private final Consumer<String> out;

  /** {@code out} receives whole blocks, newline-terminated. */
  TextReporter(Consumer<String> out) {
    this.out = out;
  }

  @Override
  public void report(Report r) {
    out.accept(render(r));
  }

  static String render(Report r) {
    StringBuilder b = new StringBuilder(1024);
    b.append(PREFIX).append(r.pattern().heading()).append(": ").append(r.headline()).append('\n');
    b.append("  socket: ").append(r.socket()).append('\n');
    Object target = r.second() != null && r.second().target() != null
        ? r.second().target() : r.first().target();
    if (target != null) {
      b.append("  target: ").append(target).append('\n');
    }
    if (r.origin() != null) {
      attempt(b, r.originRole(), r.origin()); // earlier than first, and the only one with a stack
    }
    attempt(b, r.firstRole(), r.first());
    if (r.second() != null) {
      attempt(b, r.secondRole(), r.second());
    }
    if (r.note() != null) {
      b.append("  note: ").append(r.note()).append('\n');
    }
    if (r.explanation().isPresent()) {
      SocketError e = r.explanation().get();
      b.append("  what it means: ").append(e.summary()).append('\n');
      b.append("  why: ").append(e.cause()).append('\n');
      b.append("  fix: ").append(e.fix()).append('\n');
    }
    return b.toString();
  }

  private static void attempt(StringBuilder b, String role, Attempt a) {
    if (a.beforeAttach()) {
      b.append("  ").append(role).append(": ").append(a.thread()).append(" (learned at ")
          .append(a.time()).append(")\n");
      return;
    }
    b.append("  ").append(role).append(": thread \"").append(a.thread()).append("\" (id ")
        .append(a.threadId()).append(") at ").append(a.time());
    if (a.target() != null) {
      b.append(", to ").append(a.target());
    }
    b.append('\n');
    if (a.stackNote() != null) {
      b.append("      stack: ").append(a.stackNote()).append('\n');
      return;
    }
    List<StackTraceElement> stack = a.stack();
    for (StackTraceElement e : stack) {
      b.append("      at ").append(e).append('\n');
    }
  }

  @Override
  public void summary(Summary s) {
    StringBuilder b = new StringBuilder(PREFIX).append("summary: ");
    if (s.total() == 0 && s.internalErrors() == 0) {
      b.append("no socket misuse seen; ");
    }
    for (Pattern p : Pattern.values()) {
      b.append(p.name()).append('=').append(s.counts().get(p)).append(", ");
    }
    b.append("not printed=").append(s.suppressed())
        .append(", internal errors=").append(s.internalErrors())
        .append(", sockets watched=").append(s.socketsWatched())
        .append(", stacks not sampled=").append(s.stacksNotSampled()).append('\n');
    out.accept(b.toString());
  }

  @Override
  public void internalError(String what, Throwable error) {
    StringWriter w = new StringWriter();
    w.append(PREFIX).append("INTERNAL ERROR in ").append(what)
        .append("; it is switched off, the application is not affected:\n");
    error.printStackTrace(new PrintWriter(w));
    out.accept(w.toString());
  }
}
