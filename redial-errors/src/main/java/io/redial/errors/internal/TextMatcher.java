package io.redial.errors.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds every occurrence of a fixed set of fragments in a text in one pass (Aho-Corasick), case
 * insensitively, whole words only. The catalog has hundreds of fragments and a log may have
 * millions of lines, so testing each fragment with {@code indexOf} would be quadratic in spirit.
 *
 * @param <T> what a fragment stands for
 */
final class TextMatcher<T> {

  /** One occurrence: the fragment's value and where it is in the text. */
  record Occurrence<T>(T value, int start, int end) {}

  private static final class Node {
    char[] keys = new char[0];
    Node[] next = new Node[0];
    Node fail;
    /** Indexes of the fragments that end here, including those of the fail chain. */
    int[] outputs = new int[0];
    int depth;

    Node child(char c) {
      for (int i = 0; i < keys.length; i++) {
        if (keys[i] == c) {
          return next[i];
        }
      }
      return null;
    }

    Node addChild(char c) {
      Node n = new Node();
      n.depth = depth + 1;
      keys = Arrays.copyOf(keys, keys.length + 1);
      next = Arrays.copyOf(next, next.length + 1);
      keys[keys.length - 1] = c;
      next[next.length - 1] = n;
      return n;
    }
  }

  private final Node root = new Node();
  private final List<String> fragments = new ArrayList<>();
  private final List<T> values = new ArrayList<>();
  private boolean built;

  /** Adds a fragment; it matches case-insensitively and only as a whole word. */
  void add(String fragment, T value) {
    if (built) {
      throw new IllegalStateException("add after build");
    }
    String f = fold(fragment);
    if (f.isEmpty()) {
      throw new IllegalArgumentException("fragment: must not be blank");
    }
    Node n = root;
    for (int i = 0; i < f.length(); i++) {
      Node c = n.child(f.charAt(i));
      n = c != null ? c : n.addChild(f.charAt(i));
    }
    n.outputs = append(n.outputs, fragments.size());
    fragments.add(f);
    values.add(value);
  }

  /** Links the automaton; call once after the last {@link #add}. */
  TextMatcher<T> build() {
    ArrayDeque<Node> queue = new ArrayDeque<>();
    root.fail = root;
    for (Node c : root.next) {
      c.fail = root;
      queue.add(c);
    }
    while (!queue.isEmpty()) {
      Node n = queue.poll();
      for (int i = 0; i < n.keys.length; i++) {
        char k = n.keys[i];
        Node c = n.next[i];
        Node f = n.fail;
        while (f != root && f.child(k) == null) {
          f = f.fail;
        }
        Node target = f.child(k);
        c.fail = target != null && target != c ? target : root;
        for (int o : c.fail.outputs) {
          c.outputs = append(c.outputs, o);
        }
        queue.add(c);
      }
    }
    built = true;
    return this;
  }

  /** Every whole-word occurrence in {@code text}, in order of their end. */
  List<Occurrence<T>> find(String text) {
    List<Occurrence<T>> out = new ArrayList<>();
    Node n = root;
    for (int i = 0; i < text.length(); i++) {
      char c = foldChar(text.charAt(i));
      while (n != root && n.child(c) == null) {
        n = n.fail;
      }
      Node c2 = n.child(c);
      n = c2 != null ? c2 : root;
      for (int o : n.outputs) {
        String f = fragments.get(o);
        int start = i + 1 - f.length();
        int end = i + 1;
        if (wholeWord(text, start, end, f)) {
          out.add(new Occurrence<>(values.get(o), start, end));
        }
      }
    }
    return out;
  }

  /** A fragment that starts (ends) with a word character must not continue a word there. */
  private static boolean wholeWord(String text, int start, int end, String f) {
    boolean startOk = start == 0 || !isWord(f.charAt(0)) || !isWord(text.charAt(start - 1));
    boolean endOk =
        end == text.length() || !isWord(f.charAt(f.length() - 1)) || !isWord(text.charAt(end));
    return startOk && endOk;
  }

  static boolean isWord(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  static String fold(String s) {
    String t = s.strip();
    StringBuilder b = new StringBuilder(t.length());
    for (int i = 0; i < t.length(); i++) {
      b.append(foldChar(t.charAt(i)));
    }
    return b.toString();
  }

  /** Per-char folding keeps indexes aligned with the original text (unlike String.toLowerCase). */
  private static char foldChar(char c) {
    return c < 128 ? (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) : Character.toLowerCase(c);
  }

  private static int[] append(int[] a, int v) {
    for (int x : a) {
      if (x == v) {
        return a;
      }
    }
    int[] b = Arrays.copyOf(a, a.length + 1);
    b[a.length] = v;
    return b;
  }
}
