package io.redial.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.redial.testkit.Fault;
import io.redial.testkit.FaultHandle;
import io.redial.testkit.FaultProxy;
import io.redial.testkit.ProxiedConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code redial proxy}: a standalone {@link FaultProxy}, with a small HTTP control API on loopback
 * so that tests in any language can add and remove faults while it runs.
 */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    versionProvider = RedialCommand.Version.class,
    description = {
        "Runs a TCP fault proxy: clients connect to --listen, the proxy connects to --upstream, and",
        "faults (latency, bandwidth, resets, blackholes, refused connects…) break the traffic on purpose."
    },
    footer = {
        "",
        "Faults (--fault, and the body of POST /faults): NAME[=VALUES][@upstream|@downstream][~TOXICITY]",
        "  latency=BASE[:JITTER]          bandwidth=BYTES_PER_SECOND     slice=AVERAGE:VARIATION:DELAY",
        "  limit-data=BYTES               blackhole                      slow-close=DELAY",
        "  reset-after=DURATION           max-age=DURATION               stall           refuse",
        "  Durations: 200ms, 5s, 1m (also us, ns). ~0.5 applies a fault to half the connections.",
        "",
        "Control API (--control, loopback only):",
        "  GET /faults   POST /faults (body: a fault)   DELETE /faults/ID",
        "  GET /connections   POST /reset   POST /close   POST /shutdown",
        "",
        "Examples:",
        "  redial proxy --listen 127.0.0.1:7000 --upstream 127.0.0.1:6379 --fault latency=200ms",
        "  redial proxy --upstream 127.0.0.1:5432 --control 127.0.0.1:7001 --fault bandwidth=10000@downstream",
        "  curl -d blackhole http://127.0.0.1:7001/faults"
    })
final class ProxyCommand implements Callable<Integer> {
  /** Longest request body the control API reads: a fault spec is at most {@link Fault#MAX_SPEC_LENGTH}. */
  private static final int MAX_BODY = 4 * Fault.MAX_SPEC_LENGTH;

  @Spec CommandSpec spec;

  @Option(names = "--listen", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
      description = "Where clients connect (default: ${DEFAULT-VALUE}; port 0 picks a free one).",
      defaultValue = "127.0.0.1:0")
  InetSocketAddress listen;

  @Option(names = "--upstream", paramLabel = "HOST:PORT", required = true, converter = HostPortConverter.class,
      description = "Where the proxy connects to.")
  InetSocketAddress upstream;

  @Option(names = "--fault", paramLabel = "SPEC", converter = FaultConverter.class,
      description = "A fault in place from the first connection. Repeatable.")
  List<Fault> faults = new ArrayList<>();

  @Option(names = "--control", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
      description = "Serve the HTTP control API here (loopback only; port 0 picks a free one).")
  InetSocketAddress control;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed for toxicity, jitter and slice sizes (default: random, printed).")
  Long seed;

  /** Counted down by POST /shutdown; the command returns then. */
  private final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    if (control != null && !control.getAddress().isLoopbackAddress()) {
      throw new ParameterException(spec.commandLine(), "--control '" + HostPortConverter.format(control)
          + "' is not a loopback address; allowed: 127.0.0.0/8 or ::1 (the control API is unauthenticated)");
    }
    if (listen.getPort() == upstream.getPort() && listen.getAddress().equals(upstream.getAddress())) {
      throw new ParameterException(spec.commandLine(), "--listen and --upstream are both "
          + HostPortConverter.format(listen) + "; the proxy would connect to itself");
    }
    long actualSeed = seed != null ? seed : new java.util.SplittableRandom().nextLong();
    FaultProxy.Builder builder = FaultProxy.builder(upstream).listen(listen).seed(actualSeed);
    faults.forEach(builder::fault);
    PrintWriter out = spec.commandLine().getOut();
    try (FaultProxy proxy = builder.start()) {
      out.println("redial proxy: " + HostPortConverter.format(proxy.listenAddress()) + " -> "
          + HostPortConverter.format(upstream) + " (seed " + actualSeed + ")");
      for (FaultHandle h : proxy.faults()) {
        out.println("  fault " + h.id() + ": " + h.fault().spec());
      }
      HttpServer server = control == null ? null : controlServer(proxy);
      ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "redial-proxy-control");
        t.setDaemon(true);
        return t;
      });
      try {
        if (server != null) {
          server.setExecutor(executor);
          server.start();
          out.println("control API: http://" + HostPortConverter.format(server.getAddress()) + "/");
        }
        out.println("Stop with Ctrl-C" + (server != null ? " or POST /shutdown." : "."));
        out.flush();
        stop.await();
      } finally {
        if (server != null) {
          server.stop(0);
        }
        executor.shutdownNow();
      }
    }
    out.println("redial proxy: stopped");
    out.flush();
    return 0;
  }

  private HttpServer controlServer(FaultProxy proxy) throws IOException {
    HttpServer server = HttpServer.create(control, 16);
    server.createContext("/", exchange -> {
      try {
        route(proxy, exchange);
      } catch (RuntimeException e) {
        respond(exchange, 500, Map.of("error", Terminal.sanitize(String.valueOf(e.getMessage()), 400)));
      } finally {
        exchange.close();
      }
    });
    return server;
  }

  /** The control API. Every answer is JSON; errors are {@code {"error": "…"}} with a 4xx status. */
  private void route(FaultProxy proxy, HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    switch (method + " " + path) {
      case "GET /faults" -> respond(exchange, 200, faultList(proxy));
      case "POST /faults" -> {
        String text = body(exchange);
        if (text == null) {
          respond(exchange, 413, Map.of("error", "the body is longer than " + MAX_BODY
              + " bytes; allowed: one fault spec of at most " + Fault.MAX_SPEC_LENGTH + " characters"));
          return;
        }
        Fault fault;
        try {
          fault = Fault.parse(text);
        } catch (IllegalArgumentException e) {
          respond(exchange, 400, Map.of("error", Terminal.sanitize(e.getMessage(), 400)));
          return;
        }
        FaultHandle h = proxy.add(fault);
        respond(exchange, 201, faultJson(h));
      }
      case "GET /connections" -> respond(exchange, 200, connectionList(proxy));
      case "POST /reset" -> respond(exchange, 200, Map.of("reset", proxy.resetAll()));
      case "POST /close" -> respond(exchange, 200, Map.of("closed", proxy.closeAll()));
      case "POST /shutdown" -> {
        respond(exchange, 200, Map.of("stopping", true));
        stop.countDown();
      }
      default -> {
        if (path.startsWith("/faults/") && method.equals("DELETE")) {
          deleteFault(proxy, exchange, path.substring("/faults/".length()));
        } else if (path.equals("/faults") || path.startsWith("/faults/") || path.equals("/connections")
            || path.equals("/reset") || path.equals("/close") || path.equals("/shutdown")) {
          respond(exchange, 405, Map.of("error", method + " is not allowed on " + Terminal.sanitize(path, 80)));
        } else {
          respond(exchange, 404, Map.of("error", "no such resource: " + Terminal.sanitize(path, 80)
              + "; try GET /faults, POST /faults, DELETE /faults/ID, GET /connections, POST /reset, POST /close,"
              + " POST /shutdown"));
        }
      }
    }
  }

  private static void deleteFault(FaultProxy proxy, HttpExchange exchange, String idText) throws IOException {
    long id;
    try {
      id = idText.matches("[0-9]{1,18}") ? Long.parseLong(idText) : -1;
    } catch (NumberFormatException e) {
      id = -1;
    }
    if (id < 0) {
      respond(exchange, 400, Map.of("error", "fault id '" + Terminal.sanitize(idText, 40)
          + "' is not a number; allowed: an id from GET /faults"));
      return;
    }
    long wanted = id;
    boolean present = proxy.faults().stream().anyMatch(h -> h.id() == wanted);
    if (!present) {
      respond(exchange, 404, Map.of("error", "no fault with id " + id + "; see GET /faults"));
      return;
    }
    proxy.remove(id);
    exchange.sendResponseHeaders(204, -1);
  }

  private static List<Object> faultList(FaultProxy proxy) {
    List<Object> out = new ArrayList<>();
    for (FaultHandle h : proxy.faults()) {
      out.add(faultJson(h));
    }
    return out;
  }

  private static Map<String, Object> faultJson(FaultHandle h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", h.id());
    m.put("spec", h.fault().spec());
    return m;
  }

  private static List<Object> connectionList(FaultProxy proxy) {
    List<Object> out = new ArrayList<>();
    for (ProxiedConnection c : proxy.connections()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", c.id());
      m.put("client", HostPortConverter.format(c.client()));
      m.put("upstreamConnected", c.upstreamConnected());
      m.put("bytesFromClient", c.bytesFromClient());
      m.put("bytesToUpstream", c.bytesToUpstream());
      m.put("bytesFromUpstream", c.bytesFromUpstream());
      m.put("bytesToClient", c.bytesToClient());
      out.add(m);
    }
    return out;
  }

  /** The request body as text, or null if it is longer than {@link #MAX_BODY}: read no more than that. */
  private static String body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] data = in.readNBytes(MAX_BODY + 1);
      if (data.length > MAX_BODY) {
        return null;
      }
      return new String(data, StandardCharsets.UTF_8).strip();
    }
  }

  private static void respond(HttpExchange exchange, int status, Object json) throws IOException {
    byte[] body = (Json.write(json) + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** {@code HOST:PORT} or {@code [IPv6]:PORT}; the host is resolved once, here. */
  static final class HostPortConverter implements ITypeConverter<InetSocketAddress> {
    private static final int MAX_LENGTH = 300;

    @Override
    public InetSocketAddress convert(String value) {
      if (value.length() > MAX_LENGTH) {
        throw new TypeConversionException("'" + Terminal.sanitize(value, 40) + "' is " + value.length()
            + " characters long; allowed: HOST:PORT of at most " + MAX_LENGTH);
      }
      int colon = value.lastIndexOf(':');
      if (colon <= 0 || colon == value.length() - 1) {
        throw new TypeConversionException("'" + Terminal.sanitize(value, 80)
            + "' is not HOST:PORT; allowed: e.g. 127.0.0.1:7000 or [::1]:7000");
      }
      String host = value.substring(0, colon);
      String portText = value.substring(colon + 1);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      } else if (host.contains(":")) {
        throw new TypeConversionException("'" + Terminal.sanitize(value, 80)
            + "': put an IPv6 address in brackets; allowed: e.g. [::1]:7000");
      }
      if (!portText.matches("[0-9]{1,5}") || Integer.parseInt(portText) > 65535) {
        throw new TypeConversionException("port '" + Terminal.sanitize(portText, 20) + "' in '"
            + Terminal.sanitize(value, 80) + "' is not a port; allowed: 0..65535");
      }
      try {
        return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(portText));
      } catch (UnknownHostException e) {
        throw new TypeConversionException("host '" + Terminal.sanitize(host, 80) + "' in '"
            + Terminal.sanitize(value, 80) + "' cannot be resolved");
      }
    }

    /** The address as HOST:PORT, with IPv6 in brackets. */
    static String format(InetSocketAddress address) {
      InetAddress a = address.getAddress();
      String host = a == null ? address.getHostString()
          : a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
      return host + ":" + address.getPort();
    }
  }

  /** A fault spec, read by {@link Fault#parse(String)}: its message names the spec, the value and what is allowed. */
  static final class FaultConverter implements ITypeConverter<Fault> {
    @Override
    public Fault convert(String value) {
      try {
        return Fault.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(Terminal.sanitize(e.getMessage(), 400));
      }
    }
  }
}
