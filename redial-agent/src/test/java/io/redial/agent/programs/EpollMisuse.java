package io.redial.agent.programs;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Netty's epoll transport, which never reaches a JDK socket class: {@code args[0]} is
 * {@code double} (connect an active channel again), {@code closed} (connect a closed channel),
 * {@code leak} (channels dropped without close) or {@code clean} (connect, close, ten times).
 */
public final class EpollMisuse {
  static final int LEAKS = 20;

  public static void main(String[] args) throws Exception {
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException("epoll is not available", Epoll.unavailabilityCause());
    }
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    // An echoing server keeps each connection open until the client closes it.
    try (LoopbackServer server = LoopbackServer.echoing(100)) {
      Bootstrap b = new Bootstrap().group(group).channel(EpollSocketChannel.class)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              // nothing to add: the programs only connect and close
            }
          });
      switch (args[0]) {
        case "double" -> {
          Channel ch = b.connect(server.address()).sync().channel(); // MARK: first-connect
          ChannelFuture again = ch.connect(server.address()); // MARK: reconnect
          System.out.println("second connect: " + again.await().cause());
          ch.close().sync();
        }
        case "closed" -> {
          Channel ch = b.connect(server.address()).sync().channel();
          ch.close().sync(); // MARK: close
          ChannelFuture again = ch.connect(server.address()); // MARK: reconnect
          System.out.println("connect after close: " + again.await().cause());
        }
        case "leak" -> {
          for (int i = 0; i < LEAKS; i++) {
            leak();
          }
          Gc.awaitTwoCollections();
        }
        case "clean" -> {
          for (int i = 0; i < 10; i++) {
            b.connect(server.address()).sync().channel().close().sync();
          }
          System.out.println("clean done");
        }
        default -> throw new IllegalArgumentException(args[0]);
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private static void leak() {
    EpollSocketChannel ch = new EpollSocketChannel(); // MARK: open
    System.out.println("opened " + ch.isOpen());
  }
}
