package io.redial.bench.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A child JVM running {@link ServerMain}; {@link #close()} ends it. */
public final class ServerProcess implements AutoCloseable {
  private static final long WAIT_SECONDS = 60;

  private final Process process;
  private final BufferedReader out;
  private final PrintWriter in;
  private final List<InetSocketAddress> addresses = new ArrayList<>();

  private ServerProcess(Process process) {
    this.process = process;
    this.out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
  }

  /** Starts echo servers on {@code ips} in a child JVM and waits until they listen. */
  public static ServerProcess start(List<String> ips, String heap) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ServerMain.class.getName());
    cmd.addAll(ips);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    ServerProcess s = new ServerProcess(p);
    try {
      String line;
      while (!"READY".equals(line = s.readLine())) {
        if (line.startsWith("LISTEN ")) {
          String hp = line.substring(7);
          int colon = hp.lastIndexOf(':');
          s.addresses.add(new InetSocketAddress(InetAddress.getByName(hp.substring(0, colon)),
              Integer.parseInt(hp.substring(colon + 1))));
        }
      }
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** Where the servers listen. */
  public List<InetSocketAddress> addresses() {
    return List.copyOf(addresses);
  }

  /** Stops every server: listening sockets and connections closed, as in a crash. */
  public void stop() throws IOException {
    command("stop");
  }

  /** Listens again on the same ports. */
  public void restart() throws IOException {
    command("restart");
  }

  private void command(String c) throws IOException {
    in.println(c);
    String reply = readLine();
    if (!reply.equals("OK")) {
      throw new IOException("server process answered '" + reply + "' to " + c);
    }
  }

  /** One line of the child's output, bounded in time. */
  private String readLine() throws IOException {
    CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      String line = f.get(WAIT_SECONDS, TimeUnit.SECONDS);
      if (line == null) {
        throw new IOException("server process exited (status "
            + (process.isAlive() ? "?" : process.exitValue()) + ")");
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for the server process", e);
    } catch (Exception e) {
      throw new IOException("no answer from the server process within " + WAIT_SECONDS + " s", e);
    }
  }

  @Override
  public void close() {
    in.close(); // end of stdin: the child quits
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
