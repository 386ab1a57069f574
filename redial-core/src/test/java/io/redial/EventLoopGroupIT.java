package io.redial;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Connections on a caller's event-loop group spread over all of its loops. */
class EventLoopGroupIT {
  @Test
  void connectionsOnAUserGroupUseEveryLoop() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    List<Connection> connections = new ArrayList<>();
    try (EchoServer server = EchoServer.start(EchoMode.RAW)) {
      Set<String> threads = new HashSet<>();
      for (int i = 0; i < 4; i++) {
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Connection c = Redial.connection("group-" + i).endpoint(server.address())
            .eventLoopGroup(group)
            .listener(e -> seen.add(Thread.currentThread().getName()))
            .build();
        connections.add(c);
        c.connect().get(10, TimeUnit.SECONDS);
        threads.addAll(seen);
      }
      assertThat(threads).as("event-loop threads used by 4 connections on a 2-loop group")
          .hasSize(2);
    } finally {
      connections.forEach(Connection::close);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
