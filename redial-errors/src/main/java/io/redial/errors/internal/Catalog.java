package io.redial.errors.internal;

import io.redial.errors.Finding;
import io.redial.errors.JavaForm;
import io.redial.errors.Os;
import io.redial.errors.OsMessage;
import io.redial.errors.SocketError;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loaded catalog with its indexes: by name, by number, and a text matcher for messages and
 * class names. Immutable after construction, so one instance is shared by every thread.
 */
public final class Catalog {

  /** Longer queries are cut here: nobody pastes a kilobyte of error name, and it bounds work. */
  public static final int MAX_QUERY_CHARS = 1_000;
  /** Longer log lines are cut here, so a binary file without newlines cannot exhaust memory. */
  public static final int MAX_LINE_CHARS = 8_192;
  /** How many throwables of a cause/suppressed graph {@link #of} looks at, at most. */
  static final int MAX_THROWABLES = 64;
  static final int MAX_EXCERPT_CHARS = 200;

  /** How much a kind of evidence says; a higher tier on the same text wins. */
  enum Tier {
    /** A class that several errors share (SSLHandshakeException): only if nothing better. */
    GENERIC_CLASS,
    /** A message fragment ("Connection refused"). */
    MESSAGE,
    /** A name or number (WSAECONNRESET, EPIPE, 0x2746, errno=104). */
    TOKEN,
    /** A class that means one error (AlreadyConnectedException): its message is just detail. */
    SPECIFIC_CLASS
  }

  private record Clue(SocketError error, Tier tier, List<String> ifWords) {}

  private record Hit(SocketError error, Tier tier, int start, int end) {
    int length() {
      return end - start;
    }
  }

  private static final Comparator<Hit> BEST_ON_LINE =
      Comparator.comparing(Hit::tier).thenComparingInt(Hit::length)
          .thenComparing(Comparator.comparingInt(Hit::start).reversed());

  /** Words after which a number is an error code: "error 10054", "errno=104", "code: 0x2746". */
  private static final List<String> NUMBER_KEYWORDS =
      List.of("errno", "error", "err", "code", "status", "hresult", "wsagetlasterror()");
  private static final Pattern PAREN_CODE = Pattern.compile("\\((\\d{5})\\)");
  private static final Pattern HEX = Pattern.compile("(?<![\\w])0[xX]([0-9a-fA-F]{1,8})(?![\\w])");
  private static final Pattern HEX_QUERY = Pattern.compile("0[xX]0*([0-9a-fA-F]{1,8})");
  private static final Pattern BARE_HRESULT = Pattern.compile("8007[0-9a-fA-F]{4}");
  private static final Pattern DECIMAL_QUERY = Pattern.compile("[+-]?\\d{1,18}");
  /** "at pkg.Class.method(File.java:1)" and "... 12 more": where an error went, not what. */
  private static final Pattern STACK_FRAME = Pattern.compile(
      "\\s*(at\\s+\\S+\\(.*\\)|\\.\\.\\. \\d+ (more|common frames omitted))\\s*");
  /** Terminal colour and cursor codes (ESC [ … letter), common in captured console logs. */
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]");
  private static final long HRESULT_WIN32 = 0x8007_0000L;
  private static final int MAX_ERRNO = 4_096;

  private final List<SocketError> all;
  private final Map<String, SocketError> byName = new HashMap<>();
  /** POSIX twins and aliases, upper case. */
  private final Map<String, SocketError> byAlias = new HashMap<>();
  /** Words recognised inside free text, case-sensitive except WSA names. */
  private final Map<String, SocketError> tokens = new HashMap<>();
  private final Map<Integer, SocketError> byWinsock = new HashMap<>();
  private final Map<Integer, SocketError> byLinux = new HashMap<>();
  private final Map<Integer, SocketError> byMacos = new HashMap<>();
  /** Class name without package → clue, for walking an exception's superclasses. */
  private final Map<String, Clue> classes = new HashMap<>();
  private final TextMatcher<Clue> matcher = new TextMatcher<>();
  private final TextMatcher<String> keywords = new TextMatcher<>();

  /** Builds the indexes; fails on a duplicate name or number, which would make lookup lie. */
  public Catalog(List<CatalogParser.Parsed> parsed) {
    List<SocketError> entries = new ArrayList<>();
    for (CatalogParser.Parsed p : parsed) {
      SocketError e = p.error();
      entries.add(e);
      unique(byName, e.name().toUpperCase(Locale.ROOT), e, "name");
      e.winsock().ifPresent(c -> unique(byWinsock, c, e, "winsock code"));
      e.linuxErrno().ifPresent(c -> unique(byLinux, c, e, "Linux errno"));
      e.macosErrno().ifPresent(c -> unique(byMacos, c, e, "macOS errno"));
      List<String> aliases = new ArrayList<>(e.aliases());
      e.posixName().ifPresent(aliases::add);
      for (String a : aliases) {
        unique(byAlias, a.toUpperCase(Locale.ROOT), e, "POSIX name or alias");
        tokens.put(a, e);
      }
      if (e.name().startsWith("WSA") || (e.name().contains("_") && !e.name().equals("UNKNOWN"))
          || e.posixName().map(e.name()::equals).orElse(false)) {
        tokens.put(e.name(), e);
      }
    }
    all = List.copyOf(entries);
    NUMBER_KEYWORDS.forEach(k -> keywords.add(k, k));
    keywords.build();
    for (String name : byName.keySet()) {
      if (byAlias.containsKey(name) && byAlias.get(name) != byName.get(name)) {
        throw new IllegalStateException("name " + name + " is also another entry's POSIX name");
      }
    }
    indexText(parsed);
  }

  private void indexText(List<CatalogParser.Parsed> parsed) {
    // A class is specific when it identifies one error on its own and never carries a message
    // that means something else; otherwise it is only a hint (GENERIC_CLASS).
    Set<String> classesWithMessages = new HashSet<>();
    Map<String, SocketError> classOnly = new LinkedHashMap<>();
    for (CatalogParser.Parsed p : parsed) {
      for (JavaForm j : p.error().javaForms()) {
        if (j.message().isEmpty()) {
          unique(classOnly, j.simpleName(), p.error(), "class");
        } else {
          classesWithMessages.add(j.simpleName());
        }
      }
    }
    Map<String, Clue> fragments = new LinkedHashMap<>();
    Set<String> ambiguous = new HashSet<>();
    classOnly.forEach((cls, e) -> {
      Tier tier = classesWithMessages.contains(cls) ? Tier.GENERIC_CLASS : Tier.SPECIFIC_CLASS;
      Clue clue = new Clue(e, tier, List.of());
      classes.put(cls, clue);
      fragments.put(TextMatcher.fold(cls), clue);
    });
    for (CatalogParser.Parsed p : parsed) {
      SocketError e = p.error();
      List<CatalogParser.Match> texts = new ArrayList<>(p.matches());
      for (JavaForm j : e.javaForms()) {
        if (!j.message().isEmpty()) {
          texts.add(new CatalogParser.Match(j.message(), List.of()));
        }
      }
      for (OsMessage m : e.osMessages()) {
        texts.add(new CatalogParser.Match(m.text(), List.of()));
      }
      for (CatalogParser.Match m : texts) {
        String key = TextMatcher.fold(m.text().endsWith(".")
            ? m.text().substring(0, m.text().length() - 1) : m.text());
        Clue old = fragments.get(key);
        if (old != null && old.error() != e) {
          // Two errors with the same text (WSAENOMORE and WSA_E_NO_MORE): the text tells nothing.
          ambiguous.add(key);
        } else if (old == null || m.ifWords().isEmpty()) {
          fragments.put(key, new Clue(e, Tier.MESSAGE, m.ifWords()));
        }
      }
    }
    fragments.forEach((text, clue) -> {
      if (!ambiguous.contains(text)) {
        matcher.add(text, clue);
      }
    });
    matcher.build();
  }

  private static <K> void unique(Map<K, SocketError> map, K key, SocketError e, String what) {
    SocketError old = map.putIfAbsent(key, e);
    if (old != null && old != e) {
      throw new IllegalStateException(
          what + " " + key + " is used by both " + old.name() + " and " + e.name());
    }
  }

  /** Every entry, in catalog order. */
  public List<SocketError> all() {
    return all;
  }

  // ------------------------------------------------------------------------------------ lookup

  /** See {@link io.redial.errors.SocketErrors#lookup(String, Os)}. */
  public Optional<SocketError> lookup(String query, Os os) {
    if (query == null || os == null) {
      return Optional.empty();
    }
    String q = cut(query, MAX_QUERY_CHARS).strip();
    if (q.isEmpty()) {
      return Optional.empty();
    }
    Optional<SocketError> exact = exact(q, os);
    if (exact.isPresent()) {
      return exact;
    }
    return lineHits(q, os).stream().max(BEST_ON_LINE).map(Hit::error);
  }

  private Optional<SocketError> exact(String q, Os os) {
    Matcher hex = HEX_QUERY.matcher(q);
    if (hex.matches()) {
      long v = Long.parseLong(hex.group(1), 16);
      Optional<SocketError> w = fromHex(v, true);
      return w.isPresent() || os == Os.WINDOWS ? w : errno(os, v);
    }
    if (BARE_HRESULT.matcher(q).matches()) {
      return fromHex(Long.parseLong(q, 16), false);
    }
    if (DECIMAL_QUERY.matcher(q).matches()) {
      return fromDecimal(Long.parseLong(q), os);
    }
    String upper = q.toUpperCase(Locale.ROOT);
    SocketError e = byName.get(upper);
    if (e == null) {
      e = byAlias.get(upper);
    }
    return Optional.ofNullable(e);
  }

  /** A hex value: an HRESULT of facility Win32, or (when {@code plain}) a Winsock code. */
  private Optional<SocketError> fromHex(long v, boolean plain) {
    if ((v & 0xFFFF_0000L) == HRESULT_WIN32) {
      return winsock(v & 0xFFFF);
    }
    return plain ? winsock(v) : Optional.empty();
  }

  private Optional<SocketError> fromDecimal(long n, Os os) {
    if (n < 0) {
      // Netty's native transport reports errno negated; .NET prints HRESULTs as signed ints.
      return n > -MAX_ERRNO ? errno(os, -n) : n >= Integer.MIN_VALUE ? fromHex(n & 0xFFFF_FFFFL, false)
          : Optional.empty();
    }
    if (n >= 10_000 || os == Os.WINDOWS) {
      return winsock(n);
    }
    Optional<SocketError> e = errno(os, n);
    return e.isPresent() ? e : winsock(n);
  }

  private Optional<SocketError> winsock(long code) {
    return code > Integer.MAX_VALUE ? Optional.empty()
        : Optional.ofNullable(byWinsock.get((int) code));
  }

  private Optional<SocketError> errno(Os os, long n) {
    if (n > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    Map<Integer, SocketError> map =
        os == Os.MACOS ? byMacos : os == Os.WINDOWS ? byWinsock : byLinux;
    return Optional.ofNullable(map.get((int) n));
  }

  // -------------------------------------------------------------------------------- free text

  /**
   * The errors named on one line: the strongest kind of evidence only, overlapping fragments
   * resolved in favour of the longer one, each error once, in order of appearance.
   */
  private List<Hit> lineHits(String line, Os os) {
    List<Hit> hits = new ArrayList<>();
    String folded = null;
    for (TextMatcher.Occurrence<Clue> o : matcher.find(line)) {
      Clue c = o.value();
      if (!c.ifWords().isEmpty()) {
        folded = folded != null ? folded : TextMatcher.fold(line);
        if (c.ifWords().stream().noneMatch(folded::contains)) {
          continue;
        }
      }
      hits.add(new Hit(c.error(), c.tier(), o.start(), o.end()));
    }
    tokenHits(line, hits);
    numberHits(line, os, hits);
    return select(hits);
  }

  private void tokenHits(String line, List<Hit> hits) {
    int i = 0;
    int n = line.length();
    while (i < n) {
      if (!TextMatcher.isWord(line.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && TextMatcher.isWord(line.charAt(i))) {
        i++;
      }
      int len = i - start;
      char first = line.charAt(start);
      // Every name the catalog knows starts with an upper-case letter (or "wsa"): skip the rest
      // without allocating, since ordinary words are most of a log.
      if (len < 4 || len > 40 || !(first >= 'A' && first <= 'Z' || first == 'w')) {
        continue;
      }
      String token = line.substring(start, i);
      SocketError e = tokens.get(token);
      if (e == null && token.regionMatches(true, 0, "WSA", 0, 3)) {
        String upper = token.toUpperCase(Locale.ROOT);
        e = byName.get(upper) != null ? byName.get(upper) : byAlias.get(upper);
      }
      if (e != null) {
        hits.add(new Hit(e, Tier.TOKEN, start, i));
      }
    }
  }

  private void numberHits(String line, Os os, List<Hit> hits) {
    if (line.chars().noneMatch(Character::isDigit)) {
      return;
    }
    for (TextMatcher.Occurrence<String> k : keywords.find(line)) {
      int[] span = numberAfter(line, k.end());
      if (span == null) {
        continue;
      }
      String number = line.substring(span[0], span[1]);
      Optional<SocketError> e;
      if (number.regionMatches(true, 0, "0x", 0, 2)) {
        e = fromHex(Long.parseLong(number.substring(2), 16), true);
      } else {
        long v = Long.parseLong(number);
        if (k.value().equals("errno")) {
          e = fromDecimal(v < 0 ? v : -v, os); // errno: never a Winsock code below 10000
        } else if (v >= 10_000 || (v >= 995 && v <= 997)) {
          e = winsock(v);
        } else {
          e = Optional.empty();
        }
      }
      e.ifPresent(x -> hits.add(new Hit(x, Tier.TOKEN, span[0], span[1])));
    }
    Matcher p = PAREN_CODE.matcher(line);
    boolean paren = line.indexOf('(') >= 0;
    while (paren && p.find()) {
      winsock(Long.parseLong(p.group(1)))
          .ifPresent(x -> hits.add(new Hit(x, Tier.TOKEN, p.start(1), p.end(1))));
    }
    Matcher h = HEX.matcher(line);
    boolean hex = line.contains("0x") || line.contains("0X");
    while (hex && h.find()) {
      long v = Long.parseLong(h.group(1), 16);
      // Bare hex is everywhere in logs (addresses, flags): only Winsock-range codes and HRESULTs.
      Optional<SocketError> e = v >= 10_000 ? fromHex(v, true) : Optional.empty();
      e.ifPresent(x -> hits.add(new Hit(x, Tier.TOKEN, h.start(), h.end())));
    }
  }

  /**
   * The span of the number that follows a keyword: spaces, an optional "code", an optional ':',
   * '=', '#' or "is", spaces, then {@code 0x} and 1-8 hex digits or an optional '-' and 1-6
   * digits, ending at a non-word character. Null when there is none.
   */
  private static int[] numberAfter(String line, int i) {
    int n = line.length();
    i = skipSpaces(line, i);
    if (line.regionMatches(true, i, "code", 0, 4)) {
      i = skipSpaces(line, i + 4);
    }
    if (i < n && (line.charAt(i) == ':' || line.charAt(i) == '=' || line.charAt(i) == '#')) {
      i = skipSpaces(line, i + 1);
    } else if (line.regionMatches(true, i, "is ", 0, 3)) {
      i = skipSpaces(line, i + 3);
    }
    int start = i;
    boolean hex = line.regionMatches(true, i, "0x", 0, 2);
    if (hex) {
      i += 2;
    } else if (i < n && line.charAt(i) == '-') {
      i++;
    }
    int digits = i;
    while (i < n && i - digits < 9 && (hex ? Character.digit(line.charAt(i), 16) >= 0
        : line.charAt(i) >= '0' && line.charAt(i) <= '9')) {
      i++;
    }
    int count = i - digits;
    if (count == 0 || count > (hex ? 8 : 6) || (i < n && TextMatcher.isWord(line.charAt(i)))) {
      return null;
    }
    return new int[] {start, i};
  }

  private static int skipSpaces(String line, int i) {
    while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    return i;
  }

  private static List<Hit> select(List<Hit> hits) {
    if (hits.isEmpty()) {
      return hits;
    }
    Tier top = hits.stream().map(Hit::tier).max(Comparator.naturalOrder()).orElseThrow();
    List<Hit> candidates = new ArrayList<>();
    for (Hit h : hits) {
      if (h.tier() == top) {
        candidates.add(h);
      }
    }
    candidates.sort(Comparator.comparingInt(Hit::length).reversed()
        .thenComparingInt(Hit::start));
    List<Hit> kept = new ArrayList<>();
    for (Hit h : candidates) {
      if (kept.stream().noneMatch(k -> k.start() < h.end() && h.start() < k.end())) {
        kept.add(h);
      }
    }
    kept.sort(Comparator.comparingInt(Hit::start));
    Set<SocketError> seen = new HashSet<>();
    kept.removeIf(h -> !seen.add(h.error()));
    return kept;
  }

  // -------------------------------------------------------------------------------- throwables

  /** See {@link io.redial.errors.SocketErrors#of(Throwable)}. */
  public Optional<SocketError> of(Throwable t) {
    if (t == null) {
      return Optional.empty();
    }
    Os os = Os.current();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Throwable> queue = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    queue.add(t);
    depths.add(0);
    Hit best = null;
    int bestDepth = -1;
    while (!queue.isEmpty() && seen.size() < MAX_THROWABLES) {
      Throwable x = queue.poll();
      int depth = depths.poll();
      if (!seen.add(x)) {
        continue;
      }
      Hit h = classify(x, os);
      if (h != null && (best == null || better(h, depth, best, bestDepth))) {
        best = h;
        bestDepth = depth;
      }
      Throwable cause = cause(x);
      if (cause != null) {
        queue.add(cause);
        depths.add(depth + 1);
      }
      for (Throwable s : suppressed(x)) {
        queue.add(s);
        depths.add(depth + 1);
      }
    }
    return best == null ? Optional.empty() : Optional.of(best.error());
  }

  /**
   * Real evidence beats a generic class; among real evidence the deepest wins, because the root
   * cause says what happened and wrappers only say where it surfaced.
   */
  private static boolean better(Hit h, int depth, Hit best, int bestDepth) {
    boolean real = h.tier() != Tier.GENERIC_CLASS;
    boolean bestReal = best.tier() != Tier.GENERIC_CLASS;
    if (real != bestReal) {
      return real;
    }
    if (depth != bestDepth) {
      return depth > bestDepth;
    }
    return h.tier().compareTo(best.tier()) > 0;
  }

  private Hit classify(Throwable t, Os os) {
    String message = message(t);
    String text = t.getClass().getName() + (message == null ? "" : ": " + cut(message, MAX_LINE_CHARS));
    List<Hit> hits = new ArrayList<>(lineHits(text, os));
    if (hits.stream().noneMatch(h -> h.tier() == Tier.SPECIFIC_CLASS)) {
      // A subclass the catalog does not list (Netty's StacklessClosedChannelException): its
      // nearest listed superclass says what it is.
      for (Class<?> c = t.getClass().getSuperclass(); c != null && c != Throwable.class;
          c = c.getSuperclass()) {
        Clue clue = classes.get(c.getName().substring(c.getName().lastIndexOf('.') + 1));
        if (clue != null) {
          hits.add(new Hit(clue.error(), clue.tier(), 0, 0));
          break;
        }
      }
    }
    return hits.isEmpty() ? null : select(hits).stream().max(BEST_ON_LINE).orElse(null);
  }

  // Hostile or broken Throwables may throw from these; classification must not.
  private static String message(Throwable t) {
    try {
      return t.getMessage();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Throwable cause(Throwable t) {
    try {
      return t.getCause();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Throwable[] suppressed(Throwable t) {
    try {
      return t.getSuppressed();
    } catch (RuntimeException e) {
      return new Throwable[0];
    }
  }

  // ------------------------------------------------------------------------------------- scan

  /** See {@link io.redial.errors.SocketErrors#scan(Reader, Os)}. */
  public List<Finding> scan(Reader log, Os os) throws IOException {
    final class Tally {
      final int firstLine;
      final String excerpt;
      int count;

      Tally(int firstLine, String excerpt) {
        this.firstLine = firstLine;
        this.excerpt = excerpt;
      }
    }
    Map<SocketError, Tally> tallies = new LinkedHashMap<>();
    BoundedLineReader lines = new BoundedLineReader(log, MAX_LINE_CHARS);
    int lineNo = 0;
    String line;
    while ((line = lines.next()) != null) {
      lineNo = lineNo == Integer.MAX_VALUE ? lineNo : lineNo + 1;
      if (line.indexOf('\u001B') >= 0) {
        line = ANSI.matcher(line).replaceAll("");
      }
      if (looksLikeFrame(line) && STACK_FRAME.matcher(line).matches()) {
        continue; // "at Foo.bar(Foo.java:1)" names where, not what
      }
      for (Hit h : lineHits(line, os)) {
        int n = lineNo;
        String l = line;
        Tally t = tallies.computeIfAbsent(h.error(), e -> new Tally(n, excerpt(l)));
        t.count = t.count == Integer.MAX_VALUE ? t.count : t.count + 1; // saturate, never wrap

      }
    }
    List<Finding> out = new ArrayList<>();
    tallies.forEach((e, t) -> out.add(new Finding(e, t.firstLine, t.count, t.excerpt)));
    return List.copyOf(out);
  }

  private static boolean looksLikeFrame(String line) {
    String s = line.stripLeading();
    return s.startsWith("at") || s.startsWith("...");
  }

  private static String excerpt(String line) {
    StringBuilder b = new StringBuilder();
    String s = line.strip();
    for (int i = 0; i < s.length() && b.length() < MAX_EXCERPT_CHARS; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? ' ' : c); // never echo control bytes to a terminal
    }
    return b.length() < s.length() ? b + "…" : b.toString();
  }

  // ---------------------------------------------------------------------------------- closest

  /** See {@link io.redial.errors.SocketErrors#closest(String, int)}. */
  public List<SocketError> closest(String query, int limit) {
    if (query == null || limit <= 0) {
      return List.of();
    }
    String q = cut(query.strip(), 64).toUpperCase(Locale.ROOT);
    if (q.isEmpty()) {
      return List.of();
    }
    record Scored(SocketError error, int score, String key) {}
    List<Scored> scored = new ArrayList<>();
    int maxDistance = Math.max(2, q.length() / 3);
    for (SocketError e : all) {
      List<String> keys = new ArrayList<>();
      keys.add(e.name());
      e.posixName().ifPresent(keys::add);
      keys.addAll(e.aliases());
      e.winsock().ifPresent(c -> keys.add(Integer.toString(c)));
      int best = Integer.MAX_VALUE;
      for (String key : keys) {
        int d = distance(q, key, maxDistance);
        if (q.length() >= 3 && key.contains(q)) {
          d = Math.min(d, 1);
        }
        best = Math.min(best, d);
      }
      if (best <= maxDistance) {
        scored.add(new Scored(e, best, e.name()));
      }
    }
    if (scored.isEmpty() && q.length() >= 4) {
      // Not a name: compare with the messages people paste ("conection refused"), allowing a
      // typo every four characters, or find the words inside a summary or message.
      int maxTextDistance = Math.max(2, q.length() / 4);
      for (SocketError e : all) {
        List<String> texts = new ArrayList<>();
        e.osMessages().forEach(m -> texts.add(m.text()));
        e.javaForms().stream().filter(j -> !j.message().isEmpty())
            .forEach(j -> texts.add(j.message()));
        int best = Integer.MAX_VALUE;
        for (String text : texts) {
          String t = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
          best = Math.min(best, distance(q, t.toUpperCase(Locale.ROOT), maxTextDistance));
        }
        String hay = (e.summary() + " " + texts).toUpperCase(Locale.ROOT);
        if (best > maxTextDistance && hay.contains(q)) {
          best = maxTextDistance;
        }
        if (best <= maxTextDistance) {
          scored.add(new Scored(e, best, e.name()));
        }
      }
    }
    scored.sort(Comparator.comparingInt(Scored::score).thenComparing(Scored::key));
    return scored.stream().limit(limit).map(Scored::error).toList();
  }

  /** Levenshtein distance, giving up (returning {@code max + 1}) once it must exceed max. */
  static int distance(String a, String b, int max) {
    if (Math.abs(a.length() - b.length()) > max) {
      return max + 1;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > max) {
        return max + 1;
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static String cut(String s, int max) {
    return s.length() > max ? s.substring(0, max) : s;
  }
}
