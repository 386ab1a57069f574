package io.redial.internal.agent;

import java.util.List;

/** A minimal JSON writer: objects, arrays, strings and numbers, appended to a builder. */
final class Json {
  private final StringBuilder out = new StringBuilder(256);
  /** Whether the next member/element needs a comma before it. */
  private boolean needComma;

  Json beginObject() {
    comma();
    out.append('{');
    needComma = false;
    return this;
  }

  Json endObject() {
    out.append('}');
    needComma = true;
    return this;
  }

  /** Starts a member; follow with a value, an object or an array. */
  Json name(String name) {
    comma();
    string(name);
    out.append(':');
    needComma = false;
    return this;
  }

  Json value(String value) {
    comma();
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
    needComma = true;
    return this;
  }

  Json value(long value) {
    comma();
    out.append(value);
    needComma = true;
    return this;
  }

  Json member(String name, String value) {
    return name(name).value(value);
  }

  Json member(String name, boolean value) {
    name(name);
    comma();
    out.append(value);
    needComma = true;
    return this;
  }

  Json member(String name, long value) {
    return name(name).value(value);
  }

  Json member(String name, List<String> values) {
    name(name);
    out.append('[');
    needComma = false;
    for (String v : values) {
      value(v);
    }
    out.append(']');
    needComma = true;
    return this;
  }

  private void comma() {
    if (needComma) {
      out.append(',');
    }
  }

  private void string(String s) {
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
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
