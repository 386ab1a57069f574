package io.redial.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.redial.testkit.EchoMode;
import io.redial.testkit.EchoServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code redial proxy} in-process, against a real loopback echo server, driven through its control API. */
class ProxyCommandTest {
  private static final Pattern LISTENING = Pattern.compile("redial proxy: 127\\.0\\.0\\.1:(\\d+) -> ");
  private static final Pattern CONTROL = Pattern.compile("control API: http://127\\.0\\.0\\.1:(\\d+)/");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService runner = Executors.newSingleThreadExecutor();
  private EchoServer echo;

  @BeforeEach
  void startEcho() {
    echo = EchoServer.start(EchoMode.RAW);
  }

  @AfterEach
  void stop() throws InterruptedException {
    runner.shutdownNow();
    runner.awaitTermination(10, TimeUnit.SECONDS);
    echo.close();
  }

  /** A running command: its output so far, and its exit status once done. */
  private record Running(StringWriter out, StringWriter err, Future<Integer> exit) {
    int port(Pattern p) {
      Matcher m = p.matcher(out.toString());
      return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
  }

  private Running start(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = RedialCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    Future<Integer> exit = runner.submit(() -> cl.execute(args));
    Running r = new Running(out, err, exit);
    await().atMost(Duration.ofSeconds(10)).until(() -> r.port(LISTENING) > 0 || exit.isDone());
    return r;
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  private HttpResponse<String> call(int controlPort, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + path))
        .timeout(Duration.ofSeconds(5));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long roundTripMillis(Socket s) throws IOException {
    long start = System.nanoTime();
    s.getOutputStream().write('x');
    assertThat(s.getInputStream().read()).isEqualTo('x');
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.setSoTimeout(5_000);
    s.connect(loopback(port), 5_000);
    return s;
  }

  @Test
  void proxiesWithStartupFaultsAndTakesFaultsOverTheControlApi() throws Exception {
    Running r = start("proxy", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:" + echo.address().getPort(),
        "--control", "127.0.0.1:0", "--fault", "latency=100ms@downstream", "--seed", "7");
    await().atMost(Duration.ofSeconds(10)).until(() -> r.port(CONTROL) > 0);
    int port = r.port(LISTENING);
    int control = r.port(CONTROL);
    assertThat(r.out().toString()).contains("(seed 7)").contains("fault 1: latency=100ms@downstream");

    try (Socket s = connect(port)) {
      assertThat(roundTripMillis(s)).isGreaterThanOrEqualTo(100);

      HttpResponse<String> faults = call(control, "GET", "/faults", null);
      assertThat(faults.statusCode()).isEqualTo(200);
      assertThat(faults.body()).contains("\"id\": 1").contains("\"spec\": \"latency=100ms@downstream\"");

      HttpResponse<String> added = call(control, "POST", "/faults", "blackhole@upstream");
      assertThat(added.statusCode()).isEqualTo(201);
      assertThat(added.body()).contains("\"id\": 2").contains("blackhole@upstream");
      s.getOutputStream().write('y');
      s.setSoTimeout(300);
      assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      s.setSoTimeout(5_000);
      assertThat(call(control, "DELETE", "/faults/2", null).statusCode()).isEqualTo(204);
      assertThat(call(control, "DELETE", "/faults/2", null).statusCode()).isEqualTo(404);
      assertThat(call(control, "DELETE", "/faults/1", null).statusCode()).isEqualTo(204);
      assertThat(roundTripMillis(s)).isLessThan(100);

      HttpResponse<String> connections = call(control, "GET", "/connections", null);
      assertThat(connections.body()).contains("\"upstreamConnected\": true").contains("\"bytesFromClient\": 3");

      assertThat(call(control, "POST", "/faults", "refuse").statusCode()).isEqualTo(201);
      assertThatThrownBy(() -> connect(port).close()).isInstanceOf(ConnectException.class);
      assertThat(call(control, "DELETE", "/faults/3", null).statusCode()).isEqualTo(204);
      try (Socket again = connect(port)) {
        roundTripMillis(again);
      }
      // the proxy notices the closed socket a moment later; only `s` is left then
      await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
          call(control, "GET", "/connections", null).body().split("upstreamConnected", -1).length
              == 2);

      HttpResponse<String> reset = call(control, "POST", "/reset", null);
      assertThat(reset.body()).contains("\"reset\": 1");
      assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class)
          .hasMessageContaining("Connection reset");
    }

    HttpResponse<String> bad = call(control, "POST", "/faults", "latency=fast");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("fault spec 'latency=fast': bad duration 'fast'");
    assertThat(call(control, "POST", "/faults", "x".repeat(10_000)).statusCode()).isEqualTo(413);
    assertThat(call(control, "DELETE", "/faults/abc", null).statusCode()).isEqualTo(400);
    assertThat(call(control, "GET", "/nothing", null).statusCode()).isEqualTo(404);
    assertThat(call(control, "PUT", "/faults", "blackhole").statusCode()).isEqualTo(405);

    assertThat(call(control, "POST", "/shutdown", null).statusCode()).isEqualTo(200);
    assertThat(r.exit().get(10, TimeUnit.SECONDS)).isZero();
    assertThat(r.out().toString()).contains("redial proxy: stopped");
    assertThatThrownBy(() -> connect(port).close()).isInstanceOf(ConnectException.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> echo.openConnections() == 0);
  }

  @Test
  void badFaultSpecIsUsageErrorNamingSpecValueAndAllowed() throws Exception {
    Running r = start("proxy", "--upstream", "127.0.0.1:" + echo.address().getPort(), "--fault", "latency=200");
    assertThat(r.exit().get(10, TimeUnit.SECONDS)).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(r.err().toString())
        .contains("fault spec 'latency=200': bad duration '200'; allowed: a whole number with a unit");
  }

  @Test
  void unknownFaultListsTheKnownOnes() throws Exception {
    Running r = start("proxy", "--upstream", "127.0.0.1:1", "--fault", "jitter=5ms");
    assertThat(r.exit().get(10, TimeUnit.SECONDS)).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(r.err().toString()).contains("bad name 'jitter'; allowed: latency=BASE[:JITTER], bandwidth=");
  }

  @Test
  void controlApiOnlyOnLoopback() throws Exception {
    Running r = start("proxy", "--upstream", "127.0.0.1:1", "--control", "0.0.0.0:0");
    assertThat(r.exit().get(10, TimeUnit.SECONDS)).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(r.err().toString()).contains("--control '0.0.0.0:0' is not a loopback address; allowed: 127.0.0.0/8 or ::1");
  }

  @Test
  void upstreamIsRequired() throws Exception {
    Running r = start("proxy", "--listen", "127.0.0.1:0");
    assertThat(r.exit().get(10, TimeUnit.SECONDS)).isEqualTo(RedialCommand.EXIT_USAGE);
    assertThat(r.err().toString()).contains("--upstream");
  }

  @Test
  void hostPortsAreCheckedWithClearMessages() {
    ProxyCommand.HostPortConverter c = new ProxyCommand.HostPortConverter();
    assertThat(c.convert("127.0.0.1:7000")).isEqualTo(loopback(7000));
    assertThat(c.convert("[::1]:7000").getAddress().isLoopbackAddress()).isTrue();
    assertThat(ProxyCommand.HostPortConverter.format(c.convert("[::1]:7000"))).isEqualTo("[0:0:0:0:0:0:0:1]:7000");
    assertThatThrownBy(() -> c.convert("127.0.0.1")).hasMessageContaining("'127.0.0.1' is not HOST:PORT; allowed:");
    assertThatThrownBy(() -> c.convert("127.0.0.1:70000"))
        .hasMessage("port '70000' in '127.0.0.1:70000' is not a port; allowed: 0..65535");
    assertThatThrownBy(() -> c.convert("::1:7000")).hasMessageContaining("put an IPv6 address in brackets");
    assertThatThrownBy(() -> c.convert("a".repeat(5000) + ":1")).hasMessageContaining("allowed: HOST:PORT of at most 300");
  }
}
