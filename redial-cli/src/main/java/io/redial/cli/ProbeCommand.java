package io.redial.cli;

import io.redial.Backoff;
import io.redial.Connection;
import io.redial.Framing;
import io.redial.Redial;
import io.redial.RedialException;
import io.redial.errors.SocketError;
import io.redial.errors.SocketErrors;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code redial probe host:port}: one managed connection, every step timed, a failure explained
 * by the catalog.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    versionProvider = RedialCommand.Version.class,
    description = {
        "Connects once to host:port with a managed connection and times each step: resolve,",
        "TCP connect, TLS handshake (--tls) and the first byte from the server. A failure is",
        "explained from the catalog. Exit status 0 when connected, 1 when not."
    })
final class ProbeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HOST:PORT", description = "e.g. 127.0.0.1:8080 or [::1]:443")
  String target;

  @Option(names = "--tls", description = "Do a TLS handshake (the JDK's default trust store).")
  boolean tls;

  @Option(names = "--timeout", paramLabel = "D", defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Bound on each step, e.g. 500ms, 5s, 1m (default ${DEFAULT-VALUE}).")
  Duration bound;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (bound.isZero()) {
      throw new ParameterException(spec.commandLine(), "--timeout must be positive, but was 0");
    }
    int colon = target.lastIndexOf(':');
    if (colon <= 0 || colon == target.length() - 1) {
      throw new ParameterException(spec.commandLine(),
          "HOST:PORT must look like host:port, but was '" + Terminal.sanitize(target, 120) + "'");
    }
    String host = target.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(target.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65_535) {
      throw new ParameterException(spec.commandLine(), "port must be in 1..65535, but was '"
          + Terminal.sanitize(target.substring(colon + 1), 20) + "'");
    }

    long t0 = System.nanoTime();
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      step(out, "resolve", t0, "failed: " + e.getMessage());
      return explain(out, e);
    }
    StringBuilder list = new StringBuilder();
    for (InetAddress a : addresses) {
      list.append(list.length() == 0 ? "" : ", ").append(a.getHostAddress());
    }
    step(out, "resolve", t0, host + " -> " + list);

    long[] tcpUp = {0};
    CompletableFuture<byte[]> firstByte = new CompletableFuture<>();
    var builder = Redial.connection("probe")
        .endpoint(host, port)
        .framing(Framing.raw())
        .connectTimeout(bound)
        .maxAttempts(1)
        .backoff(Backoff.fixed(Duration.ofMillis(1)))
        .onMessage(firstByte::complete);
    if (tls) {
      builder.tls(SSLContext.getDefault());
    }
    long t1 = System.nanoTime();
    try (Connection c = builder.build()) {
      try {
        c.connect().get(bound.toMillis() + 1_000, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        step(out, tls ? "connect+TLS" : "connect", t1, "failed");
        return explain(out, e.getCause());
      } catch (TimeoutException e) {
        step(out, tls ? "connect+TLS" : "connect", t1, "no answer within " + bound);
        return explain(out, RedialException.of("CONNECT_TIMEOUT", "no connection within " + bound));
      }
      tcpUp[0] = System.nanoTime();
      step(out, tls ? "connect+TLS" : "connect", t1,
          "connected (" + (tls ? "TLS handshake done, " : "") + "generation " + c.generation() + ")");
      try {
        byte[] first = firstByte.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        step(out, "first byte", tcpUp[0], first.length + " bytes arrived");
      } catch (TimeoutException e) {
        step(out, "first byte", tcpUp[0], "nothing within " + bound
            + " (many servers wait for the client to speak first)");
      }
    }
    out.printf("%-12s %s%n", "verdict", "reachable");
    out.flush();
    return 0;
  }

  private static void step(PrintWriter out, String name, long since, String what) {
    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - since);
    out.printf("%-12s %8.1f ms  %s%n", name, micros / 1000.0, Terminal.sanitize(what, 300));
    out.flush();
  }

  private static int explain(PrintWriter out, Throwable failure) {
    SocketError error = failure instanceof RedialException re
        ? re.error()
        : SocketErrors.of(failure).orElse(SocketErrors.lookup("UNKNOWN").orElseThrow());
    out.printf("%-12s %s%n", "error", error.name() + ": " + error.summary());
    for (String line : Terminal.wrap("Cause: " + error.cause(), 13)) {
      out.println(line);
    }
    for (String line : Terminal.wrap("Fix: " + error.fix(), 13)) {
      out.println(line);
    }
    out.printf("%-12s %s%n", "details", Terminal.sanitize(String.valueOf(failure.getMessage()), 400));
    out.printf("%-12s %s%n", "verdict", "unreachable");
    out.flush();
    return 1;
  }
}
