package io.redial.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's package) started by the test on a free loopback port,
 * with a password and no persistence; it can be killed, stopped, frozen (SIGSTOP) and restarted
 * on the same port. A missing {@code redis-server} is a failure that says how to install it,
 * never a skip.
 */
public final class RedisServer implements AutoCloseable {
  private final String binary;
  private final int port;
  private final Path dir;
  private String password;
  private Process process;

  private RedisServer(String binary, int port, String password, Path dir) {
    this.binary = binary;
    this.port = port;
    this.password = password;
    this.dir = dir;
  }

  /** Starts a server requiring {@code password}. */
  public static RedisServer start(String password) throws Exception {
    String binary = find("redis-server");
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    RedisServer s = new RedisServer(binary, port, password,
        Files.createTempDirectory("redial-redis-"));
    s.launch();
    return s;
  }

  private static String find(String program) {
    for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin", "/bin")) {
      File f = new File(dir, program);
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        File f = new File(dir, program);
        if (f.canExecute()) {
          return f.getPath();
        }
      }
    }
    throw new IllegalStateException(program + " was not found: the Redis tests start a real one. "
        + "Run scripts/test (it installs Debian's redis-server when missing), or: "
        + "sudo apt-get install -y redis-server");
  }

  public int port() {
    return port;
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  public long pid() {
    return process.pid();
  }

  private void launch() throws Exception {
    process = new ProcessBuilder(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--requirepass", password, "--save", "", "--appendonly", "no", "--dir", dir.toString(),
        "--daemonize", "no", "--loglevel", "warning")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": "
            + Files.readString(dir.resolve("redis.log")));
      }
      if ("+PONG".equals(command("PING"))) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("redis-server did not answer PING within 20 s on port " + port);
  }

  /**
   * Sends one command over a plain socket (authenticating first) and returns the first line of
   * the reply, or null when the server does not answer (not up yet).
   */
  public String command(String... args) {
    try (Socket s = new Socket()) {
      s.connect(address(), 1_000);
      s.setSoTimeout(2_000);
      StringBuilder out = new StringBuilder();
      resp(out, "AUTH", password);
      resp(out, args);
      s.getOutputStream().write(out.toString().getBytes(StandardCharsets.UTF_8));
      InputStream in = s.getInputStream();
      String auth = line(in);
      if (auth == null || !auth.startsWith("+OK")) {
        return auth;
      }
      return line(in);
    } catch (IOException e) {
      return null;
    }
  }

  private static void resp(StringBuilder out, String... args) {
    out.append('*').append(args.length).append("\r\n");
    for (String a : args) {
      byte[] b = a.getBytes(StandardCharsets.UTF_8);
      out.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 64 * 1024; i++) {
      int c = in.read();
      if (c < 0) {
        return sb.length() == 0 ? null : sb.toString();
      }
      if (c == '\n') {
        return sb.toString().stripTrailing();
      }
      sb.append((char) c);
    }
    return sb.toString();
  }

  /** Changes the password the server requires (new connections must use it). */
  public void password(String newPassword) {
    String ok = command("CONFIG", "SET", "requirepass", newPassword);
    if (!"+OK".equals(ok)) {
      throw new IllegalStateException("CONFIG SET requirepass answered " + ok);
    }
    this.password = newPassword;
  }

  /** SIGKILL: every connection dies at once, with nothing flushed. */
  public void kill() throws Exception {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts again on the same port (an empty database: nothing is persisted). */
  public void restart() throws Exception {
    if (process.isAlive()) {
      kill();
    }
    launch();
  }

  /** SIGSTOP: the process stops answering while the kernel keeps its sockets open. */
  public void freeze() throws Exception {
    signal("STOP");
  }

  /** SIGCONT. */
  public void thaw() throws Exception {
    signal("CONT");
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
        .redirectErrorStream(true).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      signal("CONT"); // a frozen process cannot die of SIGTERM
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
