package io.redial.cli.sockets;

import java.util.ArrayList;
import java.util.List;

/** The agent's answer to {@code sockets=file:PATH}: what it knows of each live socket. */
public final class AgentTable {
  /**
   * One socket the agent follows; {@code stackNote} says why {@code stack} is empty when the
   * agent chose not to record it (its {@code stackRate}), else null.
   */
  public record Entry(String label, String state, String local, String remote, String since,
      long ageMillis, boolean beforeAttach, List<String> stack, String stackNote) {}

  /** The parsed answer; {@code active} false when no agent was active in the target. */
  public record Table(boolean active, List<Entry> entries) {}

  private AgentTable() {}

  /** Parses the lines the agent wrote (SocketTable in the agent). */
  public static Table parse(List<String> lines) {
    if (lines.isEmpty() || lines.get(0).equals("inactive")) {
      return new Table(false, List.of());
    }
    List<Entry> entries = new ArrayList<>();
    String[] head = null;
    List<String> stack = new ArrayList<>();
    String note = null;
    for (String line : lines) {
      if (line.startsWith("\tat ")) {
        stack.add(line.substring(4));
        continue;
      }
      if (line.startsWith("\tstack: ")) {
        note = line.substring("\tstack: ".length());
        continue;
      }
      if (head != null) {
        entries.add(entry(head, stack, note));
        head = null;
        stack = new ArrayList<>();
        note = null;
      }
      if (line.startsWith("socket\t")) {
        head = line.split("\t", -1);
      }
    }
    if (head != null) {
      entries.add(entry(head, stack, note));
    }
    return new Table(true, entries);
  }

  private static Entry entry(String[] f, List<String> stack, String note) {
    long age;
    try {
      age = f.length > 6 && !f[6].isEmpty() ? Long.parseLong(f[6]) : -1;
    } catch (NumberFormatException e) {
      age = -1;
    }
    return new Entry(f[1], at(f, 2), at(f, 3), at(f, 4), at(f, 5), age,
        f.length > 7 && f[7].equals("true"), List.copyOf(stack), note);
  }

  private static String at(String[] f, int i) {
    return i < f.length ? f[i] : "";
  }
}
