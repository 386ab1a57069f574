package io.redial.cli.sockets;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A process's sockets as the Linux kernel lists them: {@code /proc/PID/fd} names each socket's
 * inode, {@code /proc/PID/net/{tcp,tcp6,udp,udp6,unix}} give kind, state and addresses.
 */
public final class ProcSockets {
  /** One socket descriptor of the process. */
  public record Row(int fd, long inode, String kind, String state, String local, String remote) {}

  private static final String[] TCP_STATES = {
    "?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
    "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"
  };

  private ProcSockets() {}

  /** The sockets of {@code pid}, by descriptor number. */
  public static List<Row> of(Path proc, long pid) throws IOException {
    Path dir = proc.resolve(Long.toString(pid));
    Map<Long, Integer> fdByInode = new HashMap<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir.resolve("fd"))) {
      for (Path fd : fds) {
        try {
          String link = Files.readSymbolicLink(fd).toString();
          if (link.startsWith("socket:[") && link.endsWith("]")) {
            fdByInode.put(Long.parseLong(link.substring(8, link.length() - 1)),
                Integer.parseInt(fd.getFileName().toString()));
          }
        } catch (IOException | NumberFormatException e) {
          // closed meanwhile, or not a number: not a socket we can list
        }
      }
    }
    Map<Integer, Row> rows = new TreeMap<>();
    for (String kind : List.of("tcp", "tcp6", "udp", "udp6")) {
      for (String line : lines(dir.resolve("net").resolve(kind))) {
        inet(kind, line, fdByInode, rows);
      }
    }
    for (String line : lines(dir.resolve("net").resolve("unix"))) {
      unix(line, fdByInode, rows);
    }
    fdByInode.forEach((inode, fd) -> rows.putIfAbsent(fd,
        new Row(fd, inode, "other", "", "", ""))); // netlink, packet, …
    return new ArrayList<>(rows.values());
  }

  private static List<String> lines(Path p) {
    try {
      List<String> all = Files.readAllLines(p);
      return all.isEmpty() ? all : all.subList(1, all.size()); // the header
    } catch (IOException e) {
      return List.of();
    }
  }

  /** {@code sl local rem st tx:rx tr:when retr uid timeout inode …}. */
  static void inet(String kind, String line, Map<Long, Integer> fdByInode, Map<Integer, Row> rows) {
    String[] f = line.strip().split("\\s+");
    if (f.length < 10) {
      return;
    }
    long inode;
    try {
      inode = Long.parseLong(f[9]);
    } catch (NumberFormatException e) {
      return;
    }
    Integer fd = fdByInode.get(inode);
    if (fd == null) {
      return;
    }
    int st = Integer.parseInt(f[3], 16);
    String state = kind.startsWith("tcp") ? (st < TCP_STATES.length ? TCP_STATES[st] : "?")
        : st == 7 ? "UNCONNECTED" : st == 1 ? "CONNECTED" : "?";
    rows.put(fd, new Row(fd, inode, kind, state, address(f[1]), address(f[2])));
  }

  /** {@code Num RefCount Protocol Flags Type St Inode [Path]}. */
  static void unix(String line, Map<Long, Integer> fdByInode, Map<Integer, Row> rows) {
    String[] f = line.strip().split("\\s+");
    if (f.length < 7) {
      return;
    }
    try {
      Integer fd = fdByInode.get(Long.parseLong(f[6]));
      if (fd != null) {
        String state = switch (f[5]) {
          case "01" -> "UNCONNECTED";
          case "03" -> "CONNECTED";
          default -> "?";
        };
        rows.put(fd, new Row(fd, Long.parseLong(f[6]), "unix",
            f[3].equals("00010000") ? "LISTEN" : state, f.length > 7 ? f[7] : "", ""));
      }
    } catch (NumberFormatException e) {
      // a line we do not understand
    }
  }

  /**
   * {@code 0100007F:1F90} → {@code 127.0.0.1:8080}; IPv6 (32 hex digits, four little-endian
   * words) → {@code [::1]:8080}; an IPv4-mapped IPv6 address is shown as the IPv4 one, as Java
   * shows it; the unspecified address with port 0 (an unconnected remote) is "".
   */
  static String address(String hexPair) {
    int colon = hexPair.indexOf(':');
    if (colon < 0) {
      return hexPair;
    }
    String hex = hexPair.substring(0, colon);
    int port = Integer.parseInt(hexPair.substring(colon + 1), 16);
    byte[] b = new byte[hex.length() / 2];
    for (int word = 0; word < b.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = word * 8 + (3 - i) * 2; // little-endian within each 32-bit word
        b[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    String host;
    if (b.length == 4) {
      host = ipv4(b, 0);
    } else if (isMapped(b)) {
      host = ipv4(b, 12);
    } else {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < 16; i += 2) {
        s.append(i == 0 ? "" : ":").append(Integer.toHexString(((b[i] & 0xff) << 8)
            | (b[i + 1] & 0xff)));
      }
      host = "[" + compress(s.toString()) + "]";
    }
    boolean unspecified = port == 0 && (host.equals("0.0.0.0") || host.equals("[::]"));
    return unspecified ? "" : host + ":" + port;
  }

  private static boolean isMapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  private static String ipv4(byte[] b, int from) {
    return String.format(Locale.ROOT, "%d.%d.%d.%d", b[from] & 0xff, b[from + 1] & 0xff,
        b[from + 2] & 0xff, b[from + 3] & 0xff);
  }

  /** The longest run of zero groups becomes "::", as Java (and people) write IPv6. */
  private static String compress(String full) {
    String[] g = full.split(":");
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < g.length; ) {
      if (!g[i].equals("0")) {
        i++;
        continue;
      }
      int j = i;
      while (j < g.length && g[j].equals("0")) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestLen < 2) {
      return full;
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(g, 0, bestStart));
    String tail = String.join(":", java.util.Arrays.copyOfRange(g, bestStart + bestLen, g.length));
    return head + "::" + tail;
  }
}
