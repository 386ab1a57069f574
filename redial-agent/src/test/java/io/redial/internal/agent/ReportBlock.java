package io.redial.internal.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/** One {@code [redial-agent] PATTERN …} block parsed back from stderr, for assertions. */
record ReportBlock(String pattern, Map<String, List<String>> stacks, Map<String, String> threads,
    String text) {
  private static final String PREFIX = "[redial-agent] ";
  private static final java.util.regex.Pattern SECTION =
      java.util.regex.Pattern.compile("^  ([a-z ]+): thread \"([^\"]*)\".*");

  /** The stack recorded under a role ("first connect", "this connect", "closed", "opened"). */
  List<String> stack(String role) {
    List<String> s = stacks.get(role);
    if (s == null) {
      throw new AssertionError("no '" + role + "' section in:\n" + text);
    }
    return s;
  }

  String thread(String role) {
    stack(role);
    return threads.get(role);
  }

  static List<ReportBlock> parse(String stderr) {
    List<List<String>> blocks = new ArrayList<>();
    List<String> current = null;
    for (String line : stderr.split("\n", -1)) {
      if (line.startsWith(PREFIX)) {
        String first = line.substring(PREFIX.length()).split(" ", 2)[0];
        // Pattern blocks start with the pattern's name; "summary:", "INTERNAL ERROR", "disabled:"
        // lines are not findings.
        current = first.matches("[A-Z_]+") && !first.equals("INTERNAL") ? new ArrayList<>() : null;
        if (current != null) {
          current.add(line);
          blocks.add(current);
        }
      } else if (current != null && line.startsWith("  ")) {
        current.add(line);
      } else {
        current = null;
      }
    }
    return blocks.stream().map(ReportBlock::of).toList();
  }

  private static ReportBlock of(List<String> lines) {
    String head = lines.get(0).substring(PREFIX.length());
    String pattern = head.substring(0, head.indexOf(' '));
    Map<String, List<String>> stacks = new LinkedHashMap<>();
    Map<String, String> threads = new LinkedHashMap<>();
    List<String> stack = null;
    for (String line : lines.subList(1, lines.size())) {
      Matcher m = SECTION.matcher(line);
      if (m.matches()) {
        stack = new ArrayList<>();
        stacks.put(m.group(1), stack);
        threads.put(m.group(1), m.group(2));
      } else if (line.startsWith("      at ") && stack != null) {
        stack.add(line.substring("      at ".length()));
      } else {
        stack = null;
      }
    }
    return new ReportBlock(pattern, stacks, threads, String.join("\n", lines));
  }
}
