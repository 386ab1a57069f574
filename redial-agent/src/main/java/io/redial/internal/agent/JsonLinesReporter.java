package io.redial.internal.agent;

import io.redial.errors.SocketError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;

/** One JSON object per line: {@code "type"} is {@code report}, {@code summary} or {@code error}. */
final class JsonLinesReporter implements Reporter {
  private final Consumer<String> out;

  /** {@code out} receives whole lines, newline-terminated. */
  JsonLinesReporter(Consumer<String> out) {
    this.out = out;
  }

  @Override
  public void report(Report r) {
    out.accept(render(r) + "\n");
  }

  static String render(Report r) {
    Json j = new Json().beginObject()
        .member("type", "report")
        .member("pattern", r.pattern().name())
        .member("error", r.pattern().catalogName())
        .member("socket", r.socket())
        .member("headline", r.headline());
    if (r.origin() != null) {
      attempt(j, "origin", r.originRole(), r.origin());
    }
    attempt(j, "first", r.firstRole(), r.first());
    if (r.second() != null) {
      attempt(j, "second", r.secondRole(), r.second());
    }
    if (r.note() != null) {
      j.member("note", r.note());
    }
    if (r.explanation().isPresent()) {
      SocketError e = r.explanation().get();
      j.member("summary", e.summary()).member("cause", e.cause()).member("fix", e.fix());
    }
    return j.endObject().toString();
  }

  private static void attempt(Json j, String name, String role, Attempt a) {
    j.name(name).beginObject()
        .member("role", role)
        .member("thread", a.thread())
        .member("threadId", a.threadId())
        .member("time", a.time().toString());
    if (a.beforeAttach()) {
      j.member("beforeAttach", true);
    }
    if (a.target() != null) {
      j.member("target", String.valueOf(a.target()));
    }
    j.member("stack", a.stack().stream().map(StackTraceElement::toString).toList());
    if (a.stackNote() != null) {
      j.member("stackNote", a.stackNote());
    }
    j.endObject();
  }

  @Override
  public void summary(Summary s) {
    Json j = new Json().beginObject().member("type", "summary").name("counts").beginObject();
    for (Pattern p : Pattern.values()) {
      j.member(p.name(), s.counts().get(p));
    }
    j.endObject()
        .member("suppressed", s.suppressed())
        .member("internalErrors", s.internalErrors())
        .member("socketsWatched", s.socketsWatched())
        .member("stacksNotSampled", s.stacksNotSampled())
        .endObject();
    out.accept(j + "\n");
  }

  @Override
  public void internalError(String what, Throwable error) {
    StringWriter w = new StringWriter();
    error.printStackTrace(new PrintWriter(w));
    out.accept(new Json().beginObject()
        .member("type", "error")
        .member("probe", what)
        .member("message", String.valueOf(error))
        .member("stack", w.toString())
        .endObject() + "\n");
  }
}
