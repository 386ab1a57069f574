package io.redial.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real proxy program from Debian's packages, started by a test on 127.0.0.1 at a free port:
 * {@code microsocks} (SOCKS5) or {@code tinyproxy} (HTTP CONNECT, with a configuration file
 * written into a temporary directory, in the foreground). A missing program fails the test with
 * the line that installs it ({@code scripts/test} does); it never skips.
 */
public final class RealProxy implements AutoCloseable {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final Process process;
  private final Path dir;
  private final Path output;
  private final int port;
  private final Proxy.Type type;

  private RealProxy(Proxy.Type type, List<String> command, Path dir, int port) throws IOException {
    this.type = type;
    this.dir = dir;
    this.port = port;
    this.output = dir.resolve("output.log");
    this.process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    awaitListening();
  }

  /** microsocks on 127.0.0.1, its outgoing connections bound to 127.0.0.1 too. */
  public static RealProxy microsocks() throws IOException {
    return microsocks(null, null);
  }

  /** microsocks asking for this user name and password (RFC 1929). */
  public static RealProxy microsocks(String user, String password) throws IOException {
    Path dir = Files.createTempDirectory("redial-microsocks");
    int port = freePort();
    List<String> cmd = new ArrayList<>(List.of(program("microsocks"), "-i", "127.0.0.1",
        "-p", String.valueOf(port), "-b", "127.0.0.1"));
    if (user != null) {
      cmd.addAll(List.of("-u", user, "-P", password));
    }
    return new RealProxy(Proxy.Type.SOCKS, cmd, dir, port);
  }

  /**
   * tinyproxy on 127.0.0.1, allowing only 127.0.0.1 as a client and CONNECT only to
   * {@code connectPorts}; with Basic authentication when {@code user} is not null.
   */
  public static RealProxy tinyproxy(String user, String password, int... connectPorts)
      throws IOException {
    return tinyproxy(freePort(), user, password, connectPorts);
  }

  /** tinyproxy without authentication on a given port (to replace one that was stopped). */
  public static RealProxy tinyproxyOn(int port, int... connectPorts) throws IOException {
    return tinyproxy(port, null, null, connectPorts);
  }

  private static RealProxy tinyproxy(int port, String user, String password, int... connectPorts)
      throws IOException {
    Path dir = Files.createTempDirectory("redial-tinyproxy");
    StringBuilder conf = new StringBuilder()
        .append("Port ").append(port).append('\n')
        .append("Listen 127.0.0.1\n")
        .append("Timeout 30\n")
        .append("MaxClients 50\n")
        .append("LogFile \"").append(dir.resolve("tinyproxy.log")).append("\"\n")
        .append("LogLevel Info\n")
        .append("Allow 127.0.0.1\n")
        .append("DisableViaHeader Yes\n");
    for (int p : connectPorts) {
      conf.append("ConnectPort ").append(p).append('\n');
    }
    if (user != null) {
      conf.append("BasicAuth ").append(user).append(' ').append(password).append('\n');
    }
    Path file = dir.resolve("tinyproxy.conf");
    Files.writeString(file, conf, StandardCharsets.UTF_8);
    return new RealProxy(Proxy.Type.HTTP, List.of(program("tinyproxy"), "-d", "-c",
        file.toString()), dir, port);
  }

  /** The proxy as {@code java.net.Proxy}, with a resolved loopback address. */
  public Proxy proxy() {
    return new Proxy(type, new InetSocketAddress(LOOPBACK, port));
  }

  public int port() {
    return port;
  }

  /** What the program wrote: its output and, for tinyproxy, its log file. */
  public String log() {
    StringBuilder b = new StringBuilder();
    for (Path p : new Path[] {output, dir.resolve("tinyproxy.log")}) {
      try {
        if (Files.exists(p)) {
          b.append(Files.readString(p, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        b.append("(cannot read ").append(p).append(": ").append(e).append(")\n");
      }
    }
    return b.toString();
  }

  private static String program(String name) {
    List<Path> places = new ArrayList<>();
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty()) {
        places.add(Path.of(d, name));
      }
    }
    places.add(Path.of("/usr/sbin", name));
    places.add(Path.of("/sbin", name));
    for (Path p : places) {
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new AssertionError(name + " is not installed, and the proxy tests need it: run"
        + " scripts/test (it installs it), or apt-get install -y " + name);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      return s.getLocalPort();
    }
  }

  /** Waits (bounded: 10 s) until the program accepts connections on its port. */
  private void awaitListening() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (int i = 0; i < 1_000; i++) {
      if (!process.isAlive()) {
        throw new IOException("the proxy exited with status " + process.exitValue()
            + " before it listened on port " + port + ":\n" + log());
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(LOOPBACK, port), 1_000);
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          break;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    close();
    throw new IOException("the proxy did not listen on port " + port + " within 10 s:\n" + log());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }
}
