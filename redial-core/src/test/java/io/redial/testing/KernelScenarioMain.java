package io.redial.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.redial.Backoff;
import io.redial.Connection;
import io.redial.ConnectionEvent;
import io.redial.ConnectionState;
import io.redial.Heartbeat;
import io.redial.Redial;
import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import io.redial.testkit.KernelFaults;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * One kernel-fault scenario, run inside a network namespace by {@code KernelFaultsIT} (a JVM
 * cannot move its sockets into a namespace, so the whole scenario — server, client, rules — runs
 * in this child). Prints {@code key=value} lines (no spaces) for the test to judge, and exits 0
 * when the scenario ran to its end, whatever it saw. Times are the connection's own: taken in
 * its listener and {@code onMessage}, on its event loop, with {@code System.nanoTime()}.
 *
 * <p>Bounded: it exits (status 4) after its time limit, and (status 3) when its parent closes
 * stdin or dies.
 */
public final class KernelScenarioMain {
  private static final byte[] PING = {'p'};
  /**
   * Blackhole rounds: the first warms the JVM up (its first miss loads the classes and the error
   * catalog that report it), the others are the steady state.
   */
  public static final int ROUNDS = 3;

  private KernelScenarioMain() {}

  public static void main(String[] args) throws Exception {
    long limitSeconds = Long.parseLong(args[1]);
    watchdogs(limitSeconds);
    switch (args[0]) {
      case "heartbeat-blackhole" -> heartbeatBlackhole();
      case "reset" -> reset();
      case "user-timeout" -> userTimeout(Duration.ofSeconds(Long.parseLong(args[2])));
      case "loss" -> loss(Integer.parseInt(args[2]), Duration.ofSeconds(Long.parseLong(args[3])));
      case "raw-keepalive" -> rawKeepalive(Duration.ofSeconds(Long.parseLong(args[2])));
      default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
    }
    System.out.println("done=true");
    System.out.flush();
    System.exit(0);
  }

  /**
   * A Redial connection with {@code Heartbeat.every(1 s, 1 s)} to an echo server answering its
   * pings; the blackhole goes up right after a pong. Reports when the heartbeat was missed after
   * the last frame read, then takes the rule away and waits for the reconnect; {@link #ROUNDS}
   * times.
   */
  private static void heartbeatBlackhole() throws Exception {
    KernelFaults faults = KernelFaults.inside();
    try (EchoServer echo = EchoServer.start(EchoMode.LENGTH_PREFIXED)) {
      AtomicLong lastRead = new AtomicLong();
      AtomicLong reads = new AtomicLong();
      ConcurrentHashMap<Long, Long> missedAt = new ConcurrentHashMap<>();
      List<ConnectionEvent.StateChanged> transitions = new CopyOnWriteArrayList<>();
      Connection c = Redial.connection("kernel-blackhole")
          .endpoint(echo.address())
          .heartbeat(Heartbeat.every(Duration.ofSeconds(1), Duration.ofSeconds(1), PING))
          .backoff(Backoff.fixed(Duration.ofMillis(100)))
          .connectTimeout(Duration.ofSeconds(1))
          .onMessage(m -> {
            lastRead.set(System.nanoTime());
            reads.incrementAndGet();
          })
          .listener(e -> {
            if (e instanceof ConnectionEvent.HeartbeatMissed hm) {
              missedAt.putIfAbsent(hm.generation(), System.nanoTime());
            } else if (e instanceof ConnectionEvent.StateChanged sc) {
              transitions.add(sc);
            }
          })
          .build();
      try (c) {
        c.connect().get(10, TimeUnit.SECONDS);
        for (int round = 0; round < ROUNDS; round++) {
          long gen = c.generation();
          // two pongs on this channel: the heartbeat runs and the peer answers
          long from = reads.get();
          await(() -> reads.get() >= from + 2 && c.state() == ConnectionState.CONNECTED, 10);
          long before = reads.get();
          await(() -> reads.get() > before, 5); // then right after the next pong:
          long read = lastRead.get();
          long t0 = System.nanoTime();
          KernelFaults.Rule hole = faults.blackhole(echo.address().getPort());
          long t1 = System.nanoTime();
          await(() -> missedAt.containsKey(gen), 15);
          long missed = missedAt.get(gen);
          String k = "." + round;
          System.out.println("generation" + k + "=" + gen);
          System.out.println("ruleStartAfterReadMs" + k + "=" + ms(t0 - read));
          System.out.println("ruleTookMs" + k + "=" + ms(t1 - t0));
          System.out.println("missedAfterReadMs" + k + "=" + ms(missed - read));
          System.out.println("missedAfterRuleMs" + k + "=" + ms(missed - t0));
          System.out.println("lastReadBeforeMiss" + k + "=" + (lastRead.get() == read));
          hole.close();
          await(() -> c.state() == ConnectionState.CONNECTED && c.generation() > gen, 15);
          ConnectionEvent.StateChanged lost = transitions.stream()
              .filter(t -> t.from() == ConnectionState.CONNECTED && t.generation() == gen)
              .findFirst().orElseThrow();
          System.out.println("lostCause" + k + "="
              + lost.failure().map(f -> f.error().name()).orElse("none"));
        }
        long r = reads.get();
        await(() -> reads.get() > r, 10);
        System.out.println("reconnectedGeneration=" + c.generation());
      }
    }
  }

  /** A reset rule on a connected Redial connection: how it was lost, then the reconnect. */
  private static void reset() throws Exception {
    KernelFaults faults = KernelFaults.inside();
    try (EchoServer echo = EchoServer.start(EchoMode.LENGTH_PREFIXED)) {
      ConcurrentLinkedQueue<byte[]> echoes = new ConcurrentLinkedQueue<>();
      List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
      Connection c = Redial.connection("kernel-reset")
          .endpoint(echo.address())
          .backoff(Backoff.fixed(Duration.ofMillis(100)))
          .connectTimeout(Duration.ofSeconds(1))
          .onMessage(echoes::add)
          .listener(events::add)
          .build();
      try (c) {
        c.connect().get(10, TimeUnit.SECONDS);
        c.send(new byte[] {1}).get(10, TimeUnit.SECONDS);
        await(() -> echoes.size() == 1, 10);
        KernelFaults.Rule rule = faults.reset(echo.address().getPort());
        c.send(new byte[] {2}); // its segment is answered with a reset
        await(() -> c.generation() >= 1 && c.state() != ConnectionState.CONNECTED, 10);
        // attempts while the rule stands: their SYNs are reset too
        await(() -> events.stream().anyMatch(ConnectionEvent.AttemptFailed.class::isInstance), 10);
        rule.close();
        await(() -> c.state() == ConnectionState.CONNECTED, 15);
        c.send(new byte[] {3}).get(10, TimeUnit.SECONDS);
        await(() -> echoes.stream().anyMatch(b -> b[0] == 3), 10);
        ConnectionEvent.StateChanged lost = events.stream()
            .filter(ConnectionEvent.StateChanged.class::isInstance)
            .map(ConnectionEvent.StateChanged.class::cast)
            .filter(t -> t.from() == ConnectionState.CONNECTED && t.generation() == 1)
            .findFirst().orElseThrow();
        System.out.println("lostCause=" + lost.failure().map(f -> f.error().name()).orElse("none"));
        ConnectionEvent.AttemptFailed refused = events.stream()
            .filter(ConnectionEvent.AttemptFailed.class::isInstance)
            .map(ConnectionEvent.AttemptFailed.class::cast).findFirst().orElseThrow();
        System.out.println("attemptFailedWith=" + refused.socketError().name());
        System.out.println("reconnectedGeneration=" + c.generation());
        System.out.println("echoes=" + echoes.size());
      }
    }
  }

  /**
   * No heartbeat, only {@code tcpUserTimeout(bound)} (epoll: build() refuses it on NIO): a frame
   * every 100 ms, then a kernel blackhole. Reports how long after the rule the connection reported
   * the loss, and with which catalog entry; then the rule goes and it must come back.
   */
  private static void userTimeout(Duration bound) throws Exception {
    KernelFaults faults = KernelFaults.inside();
    try (EchoServer echo = EchoServer.start(EchoMode.LENGTH_PREFIXED)) {
      AtomicLong lostAt = new AtomicLong();
      List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
      Connection c = Redial.connection("kernel-user-timeout")
          .endpoint(echo.address())
          .tcpUserTimeout(bound)
          .backoff(Backoff.fixed(Duration.ofMillis(100)))
          .connectTimeout(Duration.ofSeconds(1))
          .listener(e -> {
            if (e instanceof ConnectionEvent.StateChanged sc
                && sc.from() == ConnectionState.CONNECTED) {
              lostAt.compareAndSet(0, System.nanoTime());
            }
            events.add(e);
          })
          .build();
      try (c) {
        c.connect().get(10, TimeUnit.SECONDS);
        c.send(new byte[] {0}).get(10, TimeUnit.SECONDS);
        KernelFaults.Rule hole = faults.blackhole(echo.address().getPort());
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(bound.toSeconds() + 30);
        for (int i = 1; lostAt.get() == 0 && System.nanoTime() < deadline; i++) {
          c.send(new byte[] {(byte) i}); // data in flight: the user timeout counts from it
          Thread.sleep(100);
        }
        System.out.println("lostAfterRuleMs=" + (lostAt.get() == 0 ? -1 : ms(lostAt.get() - t0)));
        hole.close();
        await(() -> c.state() == ConnectionState.CONNECTED && c.generation() > 1, 15);
        ConnectionEvent.StateChanged lost = events.stream()
            .filter(ConnectionEvent.StateChanged.class::isInstance)
            .map(ConnectionEvent.StateChanged.class::cast)
            .filter(t -> t.from() == ConnectionState.CONNECTED).findFirst().orElseThrow();
        System.out.println("lostCause=" + lost.failure().map(f -> f.error().name()).orElse("none"));
        System.out.println("reconnectedGeneration=" + c.generation());
      }
    }
  }

  /**
   * Numbered frames through a Redial connection while the kernel drops {@code percent} % of the
   * packets both ways for {@code during}, to a server that checks the numbers it reads. Then the
   * rule goes, and every frame whose send completed must reach the server exactly once, in order.
   */
  private static void loss(int percent, Duration during) throws Exception {
    KernelFaults faults = KernelFaults.inside();
    try (CheckingServer server = new CheckingServer()) {
      AtomicLong echoes = new AtomicLong();
      AtomicLong echoDisorder = new AtomicLong();
      Connection c = Redial.connection("kernel-loss")
          .endpoint(server.address())
          .backoff(Backoff.fixed(Duration.ofMillis(100)))
          .onMessage(m -> {
            long seq = ByteBuffer.wrap(m).getLong();
            if (seq != echoes.getAndIncrement()) {
              echoDisorder.incrementAndGet();
            }
          })
          .build();
      try (c) {
        c.connect().get(10, TimeUnit.SECONDS);
        long retransBefore = retransmittedSegments();
        long sent = 0;
        AtomicLong failed = new AtomicLong();
        KernelFaults.Rule rule = faults.loss(server.port(), percent);
        long end = System.nanoTime() + during.toNanos();
        // one frame every 2 ms, at most 2000 without an echo (bounded: by time)
        while (System.nanoTime() - end < 0) {
          if (sent - echoes.get() < 2_000) {
            byte[] frame = new byte[64];
            ByteBuffer.wrap(frame).putLong(sent++);
            c.send(frame).whenComplete((v, e) -> {
              if (e != null) {
                failed.incrementAndGet();
              }
            });
          }
          Thread.sleep(2);
        }
        rule.close();
        long total = sent;
        await(() -> echoes.get() >= total || failed.get() > 0, 60);
        System.out.println("sent=" + total);
        System.out.println("sendsFailed=" + failed.get());
        System.out.println("serverReceived=" + server.received());
        System.out.println("serverOutOfOrder=" + server.outOfOrder());
        System.out.println("serverConnections=" + server.connections());
        System.out.println("echoes=" + echoes.get());
        System.out.println("echoesOutOfOrder=" + echoDisorder.get());
        System.out.println("generation=" + c.generation());
        System.out.println("retransmittedSegments=" + (retransmittedSegments() - retransBefore));
      }
    }
  }

  /**
   * The figure users face: a raw Netty channel with only the kernel's keepalive (its defaults:
   * first probe after 2 h) into a blackhole, with data pending. Reports whether Netty said
   * anything (inactive or an exception) within {@code wait}.
   */
  private static void rawKeepalive(Duration wait) throws Exception {
    KernelFaults faults = KernelFaults.inside();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (EchoServer echo = EchoServer.start(EchoMode.RAW)) {
      CompletableFuture<Long> noticed = new CompletableFuture<>();
      AtomicReference<String> how = new AtomicReference<>("nothing");
      CompletableFuture<Void> firstEcho = new CompletableFuture<>();
      Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .option(ChannelOption.SO_KEEPALIVE, true)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel sc) {
              sc.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                  ReferenceCountUtil.release(msg);
                  firstEcho.complete(null);
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                  how.compareAndSet("nothing", "inactive");
                  noticed.complete(System.nanoTime());
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                  how.compareAndSet("nothing", cause.getClass().getSimpleName());
                  noticed.complete(System.nanoTime());
                  ctx.close();
                }
              });
            }
          })
          .connect(echo.address()).syncUninterruptibly().channel();
      try {
        ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1})).syncUninterruptibly();
        firstEcho.get(10, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        KernelFaults.Rule hole = faults.blackhole(echo.address().getPort());
        ByteBuf pending = Unpooled.wrappedBuffer(new byte[] {2}); // retransmitted into silence
        ch.writeAndFlush(pending);
        try {
          long at = noticed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
          System.out.println("noticedAfterMs=" + ms(at - t0));
        } catch (java.util.concurrent.TimeoutException e) {
          System.out.println("noticedAfterMs=-1");
        }
        System.out.println("how=" + how.get());
        System.out.println("activeAtEnd=" + ch.isActive());
        System.out.println("keepaliveTimeSeconds="
            + Files.readAllLines(Path.of("/proc/sys/net/ipv4/tcp_keepalive_time")).get(0).strip());
        System.out.println("retries2="
            + Files.readAllLines(Path.of("/proc/sys/net/ipv4/tcp_retries2")).get(0).strip());
        hole.close();
      } finally {
        ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  /** This namespace's {@code Tcp: RetransSegs} (the counters are per namespace). */
  private static long retransmittedSegments() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).startsWith("Tcp:") && lines.get(i + 1).startsWith("Tcp:")) {
        List<String> names = List.of(lines.get(i).split("\\s+"));
        String[] values = lines.get(i + 1).split("\\s+");
        return Long.parseLong(values[names.indexOf("RetransSegs")]);
      }
    }
    throw new IllegalStateException("no Tcp: RetransSegs in /proc/net/snmp");
  }

  /**
   * A length-prefixed echo server on one blocking thread per socket that checks the first 8
   * bytes of every frame: 0, 1, 2, … across all its sockets.
   */
  private static final class CheckingServer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket();
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();

    CheckingServer() throws IOException {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread t = new Thread(this::accept, "checking-server");
      t.setDaemon(true);
      t.start();
    }

    InetSocketAddress address() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    int port() {
      return server.getLocalPort();
    }

    long received() {
      return next.get();
    }

    long outOfOrder() {
      return outOfOrder.get();
    }

    long connections() {
      return connections.get();
    }

    private void accept() {
      try {
        while (!server.isClosed()) {
          Socket s = server.accept();
          connections.incrementAndGet();
          Thread t = new Thread(() -> serve(s), "checking-server-conn");
          t.setDaemon(true);
          t.start();
        }
      } catch (IOException closed) {
        // closed
      }
    }

    private void serve(Socket s) {
      try (s; DataInputStream in = new DataInputStream(s.getInputStream());
          DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
        while (true) {
          int len = in.readInt();
          byte[] frame = new byte[len];
          in.readFully(frame);
          long seq = ByteBuffer.wrap(frame).getLong();
          if (seq != next.getAndIncrement()) {
            outOfOrder.incrementAndGet();
          }
          out.writeInt(len);
          out.write(frame);
          out.flush();
        }
      } catch (IOException gone) {
        // the client closed
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }

  /** Waits until the condition holds; fails after {@code seconds}. */
  private static void await(BooleanSupplier condition, long seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new IllegalStateException("condition not met within " + seconds + " s");
      }
      Thread.sleep(5);
    }
  }

  private static void watchdogs(long limitSeconds) {
    Thread stdin = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // the parent keeps stdin open while it waits for us
        }
      } catch (IOException ignored) {
        // parent gone
      }
      System.exit(3);
    }, "parent-watch");
    stdin.setDaemon(true);
    stdin.start();
    Thread limit = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(limitSeconds));
        System.out.println("timeout=" + limitSeconds);
        System.out.flush();
        Runtime.getRuntime().halt(4);
      } catch (InterruptedException ignored) {
        // not reached: nothing interrupts it
      }
    }, "time-limit");
    limit.setDaemon(true);
    limit.start();
  }
}
