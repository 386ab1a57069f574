package io.redial.errors.internal;

import io.redial.errors.JavaForm;
import io.redial.errors.Kind;
import io.redial.errors.Os;
import io.redial.errors.OsMessage;
import io.redial.errors.SocketError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the catalog's text format (documented at the top of {@code catalog.txt}). Strict: an
 * unknown key, a missing field or a malformed number is an error naming the line, because the
 * catalog is data we ship and a typo must fail the build, not hide an entry.
 */
public final class CatalogParser {

  /** A parsed block: the entry plus the extra text fragments that identify it. */
  public record Parsed(SocketError error, List<Match> matches) {
    public Parsed {
      matches = List.copyOf(matches);
    }
  }

  /**
   * An extra text fragment that identifies an entry.
   *
   * @param text the fragment, as written
   * @param ifWords when not empty, the fragment counts only if the text also has one of these
   */
  public record Match(String text, List<String> ifWords) {
    public Match {
      ifWords = List.copyOf(ifWords);
    }
  }

  private static final Pattern HEADER = Pattern.compile("\\[([A-Z][A-Z0-9_]*)]");
  private static final Pattern KEY_VALUE = Pattern.compile("([a-z-]+)\\s*=\\s*(.*)");
  /** A trailing note or condition is set off by two spaces, so brackets inside a message stay. */
  private static final Pattern TRAILER = Pattern.compile("(.*?)\\s{2,}\\[([^\\]]*)]\\s*");
  private static final Set<String> KEYS =
      Set.of("kind", "winsock", "posix", "linux", "macos", "alias", "java", "os-message", "match",
          "summary", "cause", "fix", "tip");
  private static final Set<String> REPEATABLE = Set.of("alias", "java", "os-message", "match");

  private CatalogParser() {}

  /** Parses the whole catalog; {@code source} names it in error messages. */
  public static List<Parsed> parse(Reader reader, String source) throws IOException {
    List<Parsed> out = new ArrayList<>();
    BufferedReader in = new BufferedReader(reader);
    String name = null;
    int blockLine = 0;
    Map<String, List<String>> fields = new LinkedHashMap<>();
    String lastKey = null;
    String line;
    int n = 0;
    while ((line = in.readLine()) != null) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher header = HEADER.matcher(line);
      if (header.matches()) {
        if (name != null) {
          out.add(build(name, fields, source, blockLine));
        }
        name = header.group(1);
        blockLine = n;
        fields = new LinkedHashMap<>();
        lastKey = null;
        continue;
      }
      if (Character.isWhitespace(line.charAt(0))) {
        if (lastKey == null) {
          throw error(source, n, "continuation line with nothing to continue");
        }
        List<String> values = fields.get(lastKey);
        values.set(values.size() - 1, values.get(values.size() - 1) + " " + line.strip());
        continue;
      }
      Matcher kv = KEY_VALUE.matcher(line);
      if (!kv.matches() || name == null) {
        throw error(source, n, "expected 'key = value' inside a [NAME] block: " + line);
      }
      String key = kv.group(1);
      if (!KEYS.contains(key)) {
        throw error(source, n, "unknown key '" + key + "'; allowed: " + KEYS);
      }
      List<String> values = fields.computeIfAbsent(key, k -> new ArrayList<>());
      if (!values.isEmpty() && !REPEATABLE.contains(key)) {
        throw error(source, n, "key '" + key + "' given twice");
      }
      values.add(kv.group(2).strip());
      lastKey = key;
    }
    if (name != null) {
      out.add(build(name, fields, source, blockLine));
    }
    return out;
  }

  private static Parsed build(String name, Map<String, List<String>> f, String source, int line) {
    String kindText = required(f, "kind", source, line, name);
    Kind kind;
    try {
      kind = Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw error(source, line, name + ": unknown kind '" + kindText + "'");
    }
    OptionalInt winsock = number(f, "winsock", source, line, name);
    OptionalInt linux = number(f, "linux", source, line, name);
    OptionalInt macos = number(f, "macos", source, line, name);
    Optional<String> posix = Optional.ofNullable(single(f, "posix"));
    if (kind == Kind.WINSOCK && winsock.isEmpty()) {
      throw error(source, line, name + ": a winsock entry needs a winsock code");
    }
    if (kind != Kind.WINSOCK && winsock.isPresent()) {
      throw error(source, line, name + ": only winsock entries have a winsock code");
    }
    if (posix.isPresent() && linux.isEmpty() && macos.isEmpty()) {
      throw error(source, line, name + ": posix twin " + posix.get() + " without an errno");
    }
    List<JavaForm> java = new ArrayList<>();
    for (String v : f.getOrDefault("java", List.of())) {
      String[] textAndNote = trailer(v);
      String text = textAndNote[0];
      int colon = text.indexOf(": ");
      String cls = colon < 0 ? text : text.substring(0, colon);
      String msg = colon < 0 ? "" : text.substring(colon + 2);
      if (!cls.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)+")) {
        throw error(source, line, name + ": java form needs a fully qualified class: " + v);
      }
      java.add(new JavaForm(cls, msg, textAndNote[1]));
    }
    List<OsMessage> osMessages = new ArrayList<>();
    for (String v : f.getOrDefault("os-message", List.of())) {
      int colon = v.indexOf(": ");
      Os os;
      try {
        os = colon < 0 ? null : Os.parse(v.substring(0, colon));
      } catch (IllegalArgumentException e) {
        os = null;
      }
      if (os == null) {
        throw error(source, line, name + ": os-message must start with 'Linux: ', 'macOS: ' or "
            + "'Windows: ': " + v);
      }
      osMessages.add(new OsMessage(os, v.substring(colon + 2)));
    }
    List<Match> matches = new ArrayList<>();
    for (String v : f.getOrDefault("match", List.of())) {
      String[] textAndCondition = trailer(v);
      List<String> ifWords = List.of();
      String condition = textAndCondition[1];
      if (!condition.isEmpty()) {
        if (!condition.startsWith("if ")) {
          throw error(source, line, name + ": a match condition reads [if word ...]: " + v);
        }
        ifWords = Arrays.asList(condition.substring(3).strip().split("\\s+"));
      }
      matches.add(new Match(textAndCondition[0], ifWords));
    }
    SocketError error = new SocketError(name, winsock, linux, macos,
        required(f, "summary", source, line, name),
        required(f, "cause", source, line, name),
        required(f, "fix", source, line, name),
        kind, posix, f.getOrDefault("alias", List.of()), java, osMessages,
        required(f, "tip", source, line, name));
    if (error.tip().length() > SocketError.MAX_TIP) {
      throw error(source, line, name + ": tip longer than " + SocketError.MAX_TIP + " characters");
    }
    return new Parsed(error, matches);
  }

  private static String[] trailer(String v) {
    Matcher m = TRAILER.matcher(v);
    return m.matches() ? new String[] {m.group(1).strip(), m.group(2).strip()}
        : new String[] {v, ""};
  }

  private static String single(Map<String, List<String>> f, String key) {
    List<String> v = f.get(key);
    return v == null ? null : v.get(0);
  }

  private static String required(
      Map<String, List<String>> f, String key, String source, int line, String name) {
    String v = single(f, key);
    if (v == null || v.isBlank()) {
      throw error(source, line, name + ": missing '" + key + "'");
    }
    return v;
  }

  private static OptionalInt number(
      Map<String, List<String>> f, String key, String source, int line, String name) {
    String v = single(f, key);
    if (v == null) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(v));
    } catch (NumberFormatException e) {
      throw error(source, line, name + ": '" + key + "' must be a decimal number, was '" + v + "'");
    }
  }

  private static IllegalStateException error(String source, int line, String message) {
    return new IllegalStateException(source + ":" + line + ": " + message);
  }
}
