package io.redial.bench.internal.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code redis-server} (Debian's package) the Redis figure measures against: started by the
 * bench on a free loopback port, with a password, no persistence and {@code maxclients} raised for
 * the footprint; {@link #close()} kills it, and so does a shutdown hook when the JVM ends first.
 * A missing {@code redis-server} is an error that says how to install it.
 */
public final class RedisProcess implements AutoCloseable {
  private static final long START_SECONDS = 20;

  private final Process process;
  private final int port;
  private final String password;
  private final Path dir;
  private final Thread killer;

  private RedisProcess(Process process, int port, String password, Path dir) {
    this.process = process;
    this.port = port;
    this.password = password;
    this.dir = dir;
    this.killer = new Thread(process::destroyForcibly, "redis-server-killer");
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /** Starts a server requiring {@code password} and waits (at most 20 s) until it answers. */
  public static RedisProcess start(String password, int maxClients) throws Exception {
    if (password == null || password.isEmpty() || password.contains(" ")) {
      throw new IllegalArgumentException(
          "password must be non-empty without spaces, but was '" + password + "'");
    }
    String binary = find("redis-server", System.getenv("PATH"));
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path dir = Files.createTempDirectory("redial-bench-redis-");
    Process p = new ProcessBuilder(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--requirepass", password, "--save", "", "--appendonly", "no", "--dir", dir.toString(),
        "--maxclients", String.valueOf(maxClients), "--daemonize", "no", "--loglevel", "warning")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    RedisProcess r = new RedisProcess(p, port, password, dir);
    try {
      r.awaitUp();
    } catch (Exception | Error e) {
      r.close();
      throw e;
    }
    return r;
  }

  /**
   * The first executable {@code program} in the usual system folders, then on {@code path}.
   *
   * @throws IllegalStateException saying how to install it when there is none
   */
  static String find(String program, String path) {
    for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin", "/bin")) {
      File f = new File(dir, program);
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        File f = new File(dir, program);
        if (!dir.isEmpty() && f.canExecute()) {
          return f.getPath();
        }
      }
    }
    throw new IllegalStateException(program + " was not found (looked in /usr/bin, "
        + "/usr/local/bin, /usr/sbin, /bin and PATH): the Redis figure starts a real one. "
        + "Run scripts/test (it installs Debian's redis-server when missing), or: "
        + "sudo apt-get install -y redis-server");
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  public int port() {
    return port;
  }

  public String password() {
    return password;
  }

  public long pid() {
    return process.pid();
  }

  /** {@code redis-server --version}'s output, for the report. */
  public static String version() {
    try {
      Process v = new ProcessBuilder(find("redis-server", System.getenv("PATH")), "--version")
          .redirectErrorStream(true).start();
      String out = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      v.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException | RuntimeException e) {
      return "unknown (" + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown (interrupted)";
    }
  }

  private void awaitUp() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": "
            + Files.readString(dir.resolve("redis.log")));
      }
      if ("+PONG".equals(ping())) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(
        "redis-server did not answer PING within " + START_SECONDS + " s on port " + port);
  }

  /** AUTH and PING over a plain socket: the reply's first line, or null while it is not up. */
  private String ping() {
    try (Socket s = new Socket()) {
      s.connect(address(), 1_000);
      s.setSoTimeout(2_000);
      String cmd = "*2\r\n$4\r\nAUTH\r\n$" + password.getBytes(StandardCharsets.UTF_8).length
          + "\r\n" + password + "\r\n*1\r\n$4\r\nPING\r\n";
      s.getOutputStream().write(cmd.getBytes(StandardCharsets.UTF_8));
      InputStream in = s.getInputStream();
      String auth = line(in);
      return auth != null && auth.equals("+OK") ? line(in) : auth;
    } catch (IOException e) {
      return null;
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 4096; i++) {
      int c = in.read();
      if (c < 0 || c == '\n') {
        return c < 0 && sb.length() == 0 ? null : sb.toString().stripTrailing();
      }
      sb.append((char) c);
    }
    return sb.toString();
  }

  /** Kills the server (SIGKILL), waits at most 10 s, and deletes its folder. */
  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs anyway, harmlessly
    }
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
