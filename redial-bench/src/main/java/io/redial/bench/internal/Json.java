package io.redial.bench.internal;

import java.util.List;
import java.util.Map;

/** A small JSON writer for the report: maps, lists, strings, numbers, booleans and null. */
public final class Json {
  private Json() {}

  /** {@code value} as indented JSON; a non-finite double becomes {@code null}. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, 0);
    return out.append('\n').toString();
  }

  private static void write(Object v, StringBuilder out, int depth) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      quote(s, out);
    } else if (v instanceof Double d) {
      out.append(Double.isFinite(d) ? number(d) : "null");
    } else if (v instanceof Float f) {
      write(f.doubleValue(), out, depth);
    } else if (v instanceof Number || v instanceof Boolean) {
      out.append(v);
    } else if (v instanceof double[] a) {
      out.append('[');
      for (int i = 0; i < a.length; i++) {
        out.append(i == 0 ? "" : ",");
        write(a[i], out, depth);
      }
      out.append(']');
    } else if (v instanceof Map<?, ?> m) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.append(first ? "\n" : ",\n").append("  ".repeat(depth + 1));
        first = false;
        quote(String.valueOf(e.getKey()), out);
        out.append(": ");
        write(e.getValue(), out, depth + 1);
      }
      out.append(first ? "}" : "\n" + "  ".repeat(depth) + "}");
    } else if (v instanceof List<?> l) {
      out.append('[');
      boolean first = true;
      for (Object o : l) {
        out.append(first ? "\n" : ",\n").append("  ".repeat(depth + 1));
        first = false;
        write(o, out, depth + 1);
      }
      out.append(first ? "]" : "\n" + "  ".repeat(depth) + "]");
    } else {
      quote(v.toString(), out);
    }
  }

  private static String number(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
