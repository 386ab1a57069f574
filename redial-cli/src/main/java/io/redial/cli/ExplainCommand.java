package io.redial.cli;

import io.redial.errors.Finding;
import io.redial.errors.JavaForm;
import io.redial.errors.Meaning;
import io.redial.errors.Os;
import io.redial.errors.OsMessage;
import io.redial.errors.SocketError;
import io.redial.errors.SocketErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code redial explain}: the socket error catalog, for people and for machines. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    versionProvider = RedialCommand.Version.class,
    description = {
        "Explains a socket error: what it means, why it happens, how to confirm, fix and prevent it.",
        "QUERY is anything you have: 0x2748, 0x80072748, 10056, WSAEISCONN, EISCONN, 106,",
        "'already connected', java.nio.channels.AlreadyConnectedException, a whole log line."
    },
    footer = {
        "",
        "Exit status: 0 found, 1 not found (or nothing recognised by --scan), 2 bad usage.",
        "",
        "Examples:",
        "  redial explain 0x00002748",
        "  redial explain 87             (Linux's EUSERS first, then Windows' meaning)",
        "  redial explain --os macos 56",
        "  redial explain Connection reset by peer",
        "  redial explain --scan app.log",
        "  kubectl logs my-pod | redial explain --scan -"
    })
final class ExplainCommand implements Callable<Integer> {

  static final int EXIT_NOT_FOUND = 1;
  private static final int SUGGESTIONS = 5;

  @Spec CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "QUERY",
      description = "The error: a code, a name, a message or an exception; words are joined.")
  List<String> query = new ArrayList<>();

  @Option(names = "--json", description = "Print JSON for machines instead of text for people.")
  boolean json;

  @Option(names = "--os", paramLabel = "linux|macos|windows", converter = OsConverter.class,
      description = "Read bare errno numbers as this OS's and show only that meaning (default: "
          + "linux first, then every other system's meaning). Numbers from 10000 up are always "
          + "Winsock codes.")
  Os os;

  @Option(names = "--all", description = "List the whole catalog.")
  boolean all;

  @Option(names = "--scan", paramLabel = "FILE|-",
      description = "Find every recognisable socket error in a log file ('-' reads stdin).")
  String scan;

  @Option(names = "--color", paramLabel = "auto|always|never", defaultValue = "auto",
      description = "Colour the output: auto (only on a terminal, and not with NO_COLOR), always, "
          + "never.")
  Terminal.ColorMode color;

  /** Parses --os with a message that names the option, the value and what is allowed. */
  static final class OsConverter implements ITypeConverter<Os> {
    @Override
    public Os convert(String value) {
      try {
        return Os.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + Terminal.sanitize(value, RedialCommand.MAX_ECHO)
                + "' is not an operating system; allowed: linux, macos, windows");
      }
    }
  }

  @Override
  public Integer call() {
    int modes = (query.isEmpty() ? 0 : 1) + (all ? 1 : 0) + (scan != null ? 1 : 0);
    if (modes == 0) {
      throw new ParameterException(spec.commandLine(),
          "nothing to explain: give an error (a code, a name or a message), --all, or --scan FILE");
    }
    if (modes > 1) {
      throw new ParameterException(spec.commandLine(),
          "give only one of: QUERY, --all, --scan FILE");
    }
    PrintWriter out = spec.commandLine().getOut();
    Terminal term = Terminal.of(color);
    int status;
    if (all) {
      status = listAll(out);
    } else if (scan != null) {
      status = scan(out, term);
    } else {
      status = explain(String.join(" ", query), out, term);
    }
    out.flush();
    return status;
  }

  // ------------------------------------------------------------------------------- one entry

  /** The system bare numbers are read for: the one --os names, else Linux. */
  private Os os() {
    return os != null ? os : Os.LINUX;
  }

  private int explain(String q, PrintWriter out, Terminal term) {
    // With --os, that system's meaning only; without, the best guess (Linux's) and then every
    // other system's, so a Windows user reading "87" is not told only about Linux's EUSERS.
    List<Meaning> meanings = os != null
        ? SocketErrors.lookup(q, os).map(e -> List.of(new Meaning(e, List.of(os)))).orElse(List.of())
        : SocketErrors.meanings(q, Os.LINUX);
    if (!meanings.isEmpty()) {
      SocketError best = meanings.get(0).error();
      List<Meaning> others = meanings.subList(1, meanings.size());
      if (json) {
        Map<String, Object> m = toJson(best);
        if (os == null) {
          m.put("os", osNames(meanings.get(0)));
          List<Map<String, Object>> also = new ArrayList<>();
          for (Meaning other : others) {
            Map<String, Object> o = toJson(other.error());
            o.put("os", osNames(other));
            also.add(o);
          }
          m.put("alsoMeans", also);
        }
        out.println(Json.write(m));
      } else {
        String shown = Terminal.sanitize(q, RedialCommand.MAX_ECHO);
        if (os == null && !meanings.get(0).oses().contains(Os.LINUX)) {
          out.println(term.dim(shown + " means nothing on Linux; read as "
              + systems(meanings.get(0)) + "'s:"));
        }
        render(best, term).forEach(out::println);
        if (!others.isEmpty()) {
          out.println();
          out.println(term.heading(shown + " also means"));
          for (Meaning other : others) {
            out.println(Terminal.fit("  " + other.error().name() + " on " + systems(other) + ": "
                + other.error().summary(), Terminal.WIDTH));
          }
          out.println("  'redial explain --os "
              + other(others).toString().toLowerCase(Locale.ROOT) + " " + shown
              + "' shows that entry whole.");
        }
      }
      return 0;
    }
    List<SocketError> closest = SocketErrors.closest(q, SUGGESTIONS);
    String shown = Terminal.sanitize(q, RedialCommand.MAX_ECHO);
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("error", "not found");
      m.put("query", shown);
      m.put("closest", closest.stream().map(SocketError::name).toList());
      out.println(Json.write(m));
    } else {
      PrintWriter err = spec.commandLine().getErr();
      err.println("redial explain: not found: '" + shown + "'");
      if (closest.isEmpty()) {
        err.println("No close match. 'redial explain --all' lists every error the catalog knows.");
      } else {
        err.println("Closest matches:");
        for (SocketError e : closest) {
          err.println("  " + Terminal.fit(String.format(Locale.ROOT, "%-26s %s", e.name(),
              e.summary()), Terminal.WIDTH - 2));
        }
      }
      err.flush();
    }
    return EXIT_NOT_FOUND;
  }

  private static Os other(List<Meaning> others) {
    return others.get(0).oses().get(0);
  }

  /** "Windows", "Linux and macOS". */
  private static String systems(Meaning m) {
    List<String> names = m.oses().stream().map(Os::displayName).toList();
    return names.size() == 1 ? names.get(0)
        : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
  }

  private static List<String> osNames(Meaning m) {
    return m.oses().stream().map(o -> o.toString().toLowerCase(Locale.ROOT)).toList();
  }

  /** The entry as an 80-column page. */
  static List<String> render(SocketError e, Terminal t) {
    List<String> lines = new ArrayList<>();
    lines.add(t.bold(e.name()) + e.winsock().stream()
        .mapToObj(c -> "  " + c + " · " + e.hex().orElseThrow() + " · HRESULT "
            + e.hresult().orElseThrow())
        .findFirst().orElse(""));
    lines.addAll(Terminal.wrap(e.summary(), 0));
    lines.add(t.accent("In short: ") + e.tip());
    lines.add("");
    lines.add(t.heading("Goes by"));
    e.winsock().ifPresent(c -> lines.add(row("Winsock", e.name() + " = " + c + " ("
        + e.hex().orElseThrow() + ", HRESULT " + e.hresult().orElseThrow() + ")")));
    if (e.posixName().isPresent() || !e.aliases().isEmpty()) {
      StringBuilder posix = new StringBuilder(e.posixName().orElse(""));
      for (String alias : e.aliases()) {
        posix.append(posix.length() == 0 ? "" : ", also ").append(alias);
      }
      List<String> numbers = new ArrayList<>();
      e.linuxErrno().ifPresent(n -> numbers.add("Linux " + n));
      e.macosErrno().ifPresent(n -> numbers.add("macOS " + n));
      if (!numbers.isEmpty()) {
        posix.append(": ").append(String.join(", ", numbers));
      }
      lines.addAll(rowWrapped("POSIX", posix.toString()));
    }
    if (e.winsock().isEmpty() && e.posixName().isEmpty()) {
      lines.add(row("Kind", switch (e.kind()) {
        case JAVA -> "a JVM condition: no operating system error code";
        case REDIAL -> "a Redial condition: no operating system error code";
        default -> e.kind().toString().toLowerCase(Locale.ROOT);
      }));
    }
    for (OsMessage m : e.osMessages()) {
      lines.addAll(rowWrapped(m.os().displayName(), "\"" + m.text() + "\""));
    }
    if (!e.javaForms().isEmpty()) {
      lines.add("");
      lines.add(t.heading("On the JVM"));
      for (JavaForm j : e.javaForms()) {
        String note = j.note().isEmpty() ? "" : "  [" + j.note() + "]";
        for (String l : Terminal.wrap(j + note, 2, 6)) {
          lines.add(note.isEmpty() || !l.endsWith("]") ? l : l.replace("[" + j.note() + "]",
              t.dim("[" + j.note() + "]")));
        }
      }
    }
    lines.add("");
    lines.add(t.heading("Why it happens"));
    lines.addAll(Terminal.wrap(e.cause(), 2));
    lines.add("");
    lines.add(t.heading("How to fix it"));
    lines.addAll(Terminal.wrap(e.fix(), 2));
    return lines;
  }

  private static String row(String label, String value) {
    return String.format(Locale.ROOT, "  %-9s %s", label, value);
  }

  private static List<String> rowWrapped(String label, String value) {
    List<String> wrapped = Terminal.wrap(value, 12);
    wrapped.set(0, String.format(Locale.ROOT, "  %-9s ", label) + wrapped.get(0).substring(12));
    return wrapped;
  }

  static Map<String, Object> toJson(SocketError e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", e.name());
    m.put("kind", e.kind().toString().toLowerCase(Locale.ROOT));
    m.put("winsock", e.winsock());
    m.put("hex", e.hex());
    m.put("hresult", e.hresult());
    m.put("posix", e.posixName());
    m.put("aliases", e.aliases());
    m.put("linuxErrno", e.linuxErrno());
    m.put("macosErrno", e.macosErrno());
    m.put("summary", e.summary());
    m.put("cause", e.cause());
    m.put("fix", e.fix());
    m.put("tip", e.tip());
    List<Map<String, Object>> jvm = new ArrayList<>();
    for (JavaForm j : e.javaForms()) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("exception", j.exception());
      f.put("message", j.message().isEmpty() ? null : j.message());
      f.put("note", j.note().isEmpty() ? null : j.note());
      jvm.add(f);
    }
    m.put("jvm", jvm);
    Map<String, Object> osMessages = new LinkedHashMap<>();
    for (OsMessage om : e.osMessages()) {
      osMessages.put(om.os().toString().toLowerCase(Locale.ROOT), om.text());
    }
    m.put("osMessages", osMessages);
    return m;
  }

  // ---------------------------------------------------------------------------------- --all

  private int listAll(PrintWriter out) {
    List<SocketError> entries = SocketErrors.all();
    if (json) {
      out.println(Json.write(entries.stream().map(ExplainCommand::toJson).toList()));
      return 0;
    }
    String format = "%-26s %7s  %-15s %5s %5s  %s";
    out.println(String.format(Locale.ROOT, format, "NAME", "WINSOCK", "POSIX", "LINUX", "MACOS",
        "KIND"));
    for (SocketError e : entries) {
      out.println(String.format(Locale.ROOT, format, e.name(), num(e.winsock()),
          e.posixName().orElse(""), num(e.linuxErrno()), num(e.macosErrno()),
          e.kind().toString().toLowerCase(Locale.ROOT)).stripTrailing());
    }
    out.println();
    out.println(entries.size() + " errors. 'redial explain NAME' explains one; --json prints all.");
    return 0;
  }

  private static String num(java.util.OptionalInt n) {
    return n.isPresent() ? Integer.toString(n.getAsInt()) : "";
  }

  // --------------------------------------------------------------------------------- --scan

  private int scan(PrintWriter out, Terminal term) {
    String source = scan.equals("-") ? "standard input" : Terminal.sanitize(scan, RedialCommand.MAX_ECHO);
    List<Finding> findings;
    try (Reader reader = open(scan)) {
      findings = SocketErrors.scan(reader, os());
    } catch (IOException | UncheckedIOException e) {
      String why = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
      throw new ParameterException(spec.commandLine(), "--scan: cannot read '" + source + "': "
          + Terminal.sanitize(String.valueOf(why), RedialCommand.MAX_ECHO));
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", source);
      List<Map<String, Object>> list = new ArrayList<>();
      for (Finding f : findings) {
        Map<String, Object> fm = new LinkedHashMap<>();
        fm.put("name", f.error().name());
        fm.put("firstLine", f.firstLine());
        fm.put("count", f.count());
        fm.put("excerpt", f.excerpt());
        fm.put("summary", f.error().summary());
        fm.put("tip", f.error().tip());
        fm.put("fix", f.error().fix());
        list.add(fm);
      }
      m.put("findings", list);
      out.println(Json.write(m));
      return findings.isEmpty() ? EXIT_NOT_FOUND : 0;
    }
    if (findings.isEmpty()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("redial explain: no socket errors recognised in " + source);
      err.flush();
      return EXIT_NOT_FOUND;
    }
    int nameWidth = Math.max("ERROR".length(),
        findings.stream().mapToInt(f -> f.error().name().length()).max().orElse(0));
    int countWidth = Math.max("COUNT".length(),
        findings.stream().mapToInt(f -> Integer.toString(f.count()).length()).max().orElse(0));
    int lineWidth = Math.max("LINE".length(),
        findings.stream().mapToInt(f -> Integer.toString(f.firstLine()).length()).max().orElse(0));
    String format = "%" + countWidth + "s  %" + lineWidth + "s  %s  %s";
    int fixWidth = Terminal.WIDTH - (countWidth + 2 + lineWidth + 2 + nameWidth + 2);
    out.println(term.bold(String.format(Locale.ROOT, format, "COUNT", "LINE",
        pad("ERROR", nameWidth), "FIX")));
    for (Finding f : findings) {
      // One line per error: the catalog's tip (40 characters at most, so it fits beside the
      // longest name); 'explain NAME' has the whole fix.
      out.println(String.format(Locale.ROOT, format, f.count(), f.firstLine(),
          term.accent(pad(f.error().name(), nameWidth)),
          Terminal.fitWords(f.error().tip(), fixWidth)));
    }
    out.println();
    out.println(findings.size() + (findings.size() == 1 ? " error" : " errors")
        + " recognised in " + source + ". 'redial explain NAME' tells the whole story.");
    return 0;
  }

  private Reader open(String file) throws IOException {
    InputStream in;
    if (file.equals("-")) {
      in = System.in;
    } else {
      Path path;
      try {
        path = Path.of(file);
      } catch (InvalidPathException e) {
        throw new IOException("not a valid path");
      }
      if (Files.isDirectory(path)) {
        throw new IOException("it is a directory");
      }
      if (!Files.exists(path)) {
        throw new IOException("no such file");
      }
      in = Files.newInputStream(path);
    }
    // Logs are not always valid UTF-8 (or text at all): replace what does not decode.
    return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE));
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
