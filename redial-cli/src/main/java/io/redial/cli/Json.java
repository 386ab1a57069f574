package io.redial.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A minimal JSON writer for the CLI's {@code --json} output: maps (in insertion order), lists,
 * strings, numbers, booleans, null, and empty optionals as null. Enough for machines to parse;
 * not worth a dependency.
 */
final class Json {
  private Json() {}

  static String write(Object value) {
    StringBuilder b = new StringBuilder();
    write(value, b, 0);
    return b.toString();
  }

  private static void write(Object v, StringBuilder b, int depth) {
    if (v instanceof Optional<?> o) {
      v = o.orElse(null);
    } else if (v instanceof OptionalInt o) {
      v = o.isPresent() ? (Object) o.getAsInt() : null;
    }
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      string(s, b);
    } else if (v instanceof Number || v instanceof Boolean) {
      b.append(v);
    } else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        b.append("{}");
        return;
      }
      b.append("{\n");
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        indent(b, depth + 1);
        string(String.valueOf(e.getKey()), b);
        b.append(": ");
        write(e.getValue(), b, depth + 1);
        b.append(++i < m.size() ? ",\n" : "\n");
      }
      indent(b, depth);
      b.append('}');
    } else if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        b.append("[]");
        return;
      }
      b.append("[\n");
      for (int i = 0; i < l.size(); i++) {
        indent(b, depth + 1);
        write(l.get(i), b, depth + 1);
        b.append(i + 1 < l.size() ? ",\n" : "\n");
      }
      indent(b, depth);
      b.append(']');
    } else {
      string(v.toString(), b);
    }
  }

  private static void indent(StringBuilder b, int depth) {
    b.append("  ".repeat(depth));
  }

  private static void string(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
            // Lone surrogates are not valid UTF-8; escaping keeps the output decodable.
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    b.append('"');
  }
}
