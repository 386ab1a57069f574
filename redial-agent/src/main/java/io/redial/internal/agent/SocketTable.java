package io.redial.internal.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.NetworkChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The live sockets the agent knows, as lines for {@code redial sockets}: kind, state, local
 * and remote address, when the agent first saw it and the stack of that moment. Run on the
 * attach thread, not inside a socket call, so asking a socket for its addresses is safe.
 */
final class SocketTable {
  private SocketTable() {}

  /**
   * One line per open socket, tab-separated: {@code socket, label, state, local, remote, since,
   * age in ms, before-attach}; its stack follows as lines starting with a tab and {@code at }, or
   * one starting with a tab and {@code stack: } saying why there is none; {@code end, count}
   * closes the table. (Tabs and newlines never occur in those fields.)
   */
  static List<String> lines(WeakIdentityMap<SocketRecord> records, Instant now) {
    List<String> out = new ArrayList<>();
    int[] count = {0};
    records.forEachLive((socket, rec) -> {
      Attempt since;
      Attempt stackOf;
      String state;
      synchronized (rec) {
        if (rec.closedAt != null) {
          return;
        }
        state = rec.connectedBy != null ? "connected" : rec.pending != null ? "pending" : "open";
        since = rec.opened != null ? rec.opened
            : rec.connectedBy != null ? rec.connectedBy : rec.pending;
        // By default a socket keeps one stack, its origin's (the open or the first connect).
        if (since != null && !since.stackRecorded() && !since.beforeAttach()
            && rec.origin != null) {
          stackOf = rec.origin;
        } else {
          stackOf = since;
        }
      }
      count[0]++;
      out.add(String.join("\t", "socket", rec.label(), state, orEmpty(address(socket, true)),
          orEmpty(address(socket, false)), since == null ? "" : since.time().toString(),
          since == null ? "" : Long.toString(Math.max(0,
              now.toEpochMilli() - since.time().toEpochMilli())),
          Boolean.toString(since != null && since.beforeAttach())));
      if (stackOf != null) {
        for (StackTraceElement e : stackOf.stack()) {
          out.add("\tat " + e);
        }
        if (stackOf.stackNote() != null) {
          out.add("\tstack: " + stackOf.stackNote()); // e.g. not sampled (stackRate)
        }
      }
    });
    out.add("end\t" + count[0]);
    return out;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s.replace('\t', ' ');
  }

  /** {@code 127.0.0.1:8080} / {@code [::1]:8080}, or null when unknown (not bound, closed). */
  static String address(Object socket, boolean local) {
    SocketAddress a;
    try {
      if (socket instanceof Socket s) {
        a = local ? s.getLocalSocketAddress() : s.getRemoteSocketAddress();
      } else if (socket instanceof java.nio.channels.SocketChannel ch) {
        a = local ? ch.getLocalAddress() : ch.getRemoteAddress();
      } else if (socket instanceof AsynchronousSocketChannel ch) {
        a = local ? ch.getLocalAddress() : ch.getRemoteAddress();
      } else if (socket instanceof NetworkChannel ch) {
        a = local ? ch.getLocalAddress() : null;
      } else {
        // Netty's channels: Channel.localAddress() / remoteAddress(), public, no Netty types here.
        Object r = socket.getClass().getMethod(local ? "localAddress" : "remoteAddress")
            .invoke(socket);
        a = r instanceof SocketAddress sa ? sa : null;
      }
    } catch (IOException | ReflectiveOperationException | RuntimeException e) {
      return null;
    }
    return format(a);
  }

  static String format(SocketAddress a) {
    if (!(a instanceof InetSocketAddress in) || in.getAddress() == null) {
      return a == null ? null : a.toString();
    }
    String host = in.getAddress().getHostAddress();
    int pct = host.indexOf('%');
    if (pct >= 0) {
      host = host.substring(0, pct);
    }
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + in.getPort();
  }
}
