package io.redial.internal.agent;

import io.redial.internal.agent.boot.Hooks;

/** The socket types the agent watches. */
enum SocketKind {
  SOCKET("java.net.Socket",
      "The JDK's cleaner closes the descriptor of a collected Socket, but the connection stayed"
          + " open until the garbage collector ran."),
  CHANNEL("java.nio.channels.SocketChannel",
      "A SocketChannel has no cleaner: its file descriptor stays open until the process exits."),
  ASYNC("java.nio.channels.AsynchronousSocketChannel",
      "Its file descriptor stays open until the process exits."),
  NATIVE("io.netty.channel.epoll.AbstractEpollChannel",
      "A Netty native channel has no cleaner: its file descriptor stays open until the process"
          + " exits.");

  private final String typeName;
  private final String leakNote;

  SocketKind(String typeName, String leakNote) {
    this.typeName = typeName;
    this.leakNote = leakNote;
  }

  String typeName() {
    return typeName;
  }

  String leakNote() {
    return leakNote;
  }

  /** The kind a probe id watches. */
  static SocketKind of(int probeId) {
    return switch (probeId) {
      case Hooks.SOCKET_CONNECT, Hooks.SOCKET_CLOSE -> SOCKET;
      case Hooks.CHANNEL_OPEN, Hooks.CHANNEL_CONNECT, Hooks.CHANNEL_CLOSE -> CHANNEL;
      case Hooks.ASYNC_CONNECT, Hooks.ASYNC_CLOSE -> ASYNC;
      case Hooks.NATIVE_OPEN, Hooks.NATIVE_CONNECT, Hooks.NATIVE_CLOSE -> NATIVE;
      default -> throw new IllegalArgumentException("unknown probe id " + probeId);
    };
  }
}
