package io.redial.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SocketErrors#scan(Reader)} on logs as they come out of real programs. */
class ScanTest {

  private static final String MIXED_LOG = """
      2026-11-21 10:00:00.001 INFO  [main] c.e.Client - connecting to 127.0.0.1:9000
      2026-11-21 10:00:00.120 WARN  [nioEventLoopGroup-2-1] c.e.Client - connect failed
      io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: /127.0.0.1:9000
      Caused by: java.net.ConnectException: Connection refused
      \tat java.base/sun.nio.ch.Net.pollConnect(Native Method)
      \tat java.base/sun.nio.ch.Net.pollConnectNow(Net.java:672)
      \t... 12 more
      2026-11-21 10:00:01.500 ERROR [main] c.e.Client - reconnect failed
      java.util.concurrent.ExecutionException: java.net.SocketException: already connected
      \tat java.base/java.util.concurrent.FutureTask.report(FutureTask.java:122)
      Caused by: java.net.SocketException: already connected
      \tat java.base/sun.nio.ch.NioSocketImpl.connect(NioSocketImpl.java:528)
      [2026-11-21 10:00:02] client.exe: send() failed with error 10054 (0x2746)
      [2026-11-21 10:00:03] client.exe: WSAGetLastError() = 10060
      [2026-11-21 10:00:04] client.exe: HRESULT 0x80072749: socket is not connected
      curl: (7) Failed to connect to 127.0.0.1 port 9000: Connection refused
      myapp[4242]: write: Broken pipe
      myapp[4242]: connect() to 127.0.0.1:6379 failed (errno=111)
      2026-11-21 10:00:05.000 ERROR [nioEventLoopGroup-2-3] io.netty.channel.ConnectTimeoutException: connection timed out after 3000 ms: /127.0.0.1:9001
      javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target
      2026-11-21 10:00:06.000 INFO  [main] c.e.Client - flags=0x0004 addr=0x7ffd5e8a request 12345 took 10054 ms
      2026-11-21 10:00:07.000 WARN  [main] c.e.Client - write failed: java.nio.channels.ClosedChannelException
      """;

  @Test
  void findsEveryErrorInAMixedLogWithLinesAndCounts() {
    List<Finding> findings = SocketErrors.scan(new StringReader(MIXED_LOG));
    assertThat(findings)
        .extracting(f -> f.error().name(), Finding::firstLine, Finding::count)
        .containsExactly(
            tuple("WSAECONNREFUSED", 3, 4), // lines 3, 4, 16 (curl) and 18 (errno=111)
            tuple("WSAEISCONN", 9, 2),
            tuple("WSAECONNRESET", 13, 1), // "error 10054" and "0x2746" on one line: once
            tuple("WSAETIMEDOUT", 14, 1),
            tuple("WSAENOTCONN", 15, 1),
            tuple("BROKEN_PIPE", 17, 1),
            tuple("CONNECT_TIMEOUT", 19, 1), // the class wins over "connection timed out"
            tuple("TLS_UNTRUSTED_CERTIFICATE", 20, 1), // the message wins over the class
            tuple("CHANNEL_CLOSED", 22, 1));
    assertThat(findings.get(0).excerpt()).isEqualTo(
        "io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: "
            + "/127.0.0.1:9000");
  }

  @Test
  void macosAndWindowsLogs() {
    String log = """
        nc: connectx to 127.0.0.1 port 9 (tcp) failed: Connection refused
        java.net.ConnectException: Operation timed out
        Unhandled exception. System.Net.Sockets.SocketException (10061): No connection could be made because the target machine actively refused it.
        java.io.IOException: An established connection was aborted by the software in your host machine
        error: errno 54 while reading
        """;
    assertThat(SocketErrors.scan(new StringReader(log), Os.MACOS))
        .extracting(f -> f.error().name(), Finding::firstLine)
        .containsExactly(
            tuple("WSAECONNREFUSED", 1),
            tuple("WSAETIMEDOUT", 2),
            tuple("WSAECONNABORTED", 4),
            tuple("WSAECONNRESET", 5));
  }

  @Test
  void handlesEveryLineEnding() {
    String log = "ok\r\nConnection reset\rok\nBroken pipe\r\n\r\nConnection reset";
    assertThat(SocketErrors.scan(new StringReader(log)))
        .extracting(f -> f.error().name(), Finding::firstLine, Finding::count)
        .containsExactly(tuple("WSAECONNRESET", 2, 2), tuple("BROKEN_PIPE", 4, 1));
  }

  @Test
  void anOverlongLineIsCutNotBuffered() {
    // 64 Mi chars without a newline, generated, then an error past the cut and one on the next
    // line: the first is not reported (it is beyond what scan keeps), the second is.
    Reader r = concat(xs(64 << 20), new StringReader("Connection refused\nBroken pipe\n"));
    List<Finding> findings = SocketErrors.scan(r);
    assertThat(findings).extracting(f -> f.error().name(), Finding::firstLine)
        .containsExactly(tuple("BROKEN_PIPE", 2));
  }

  @Test
  void nothingRecognisedIsEmpty() {
    assertThat(SocketErrors.scan(new StringReader("all good\nstill good\n"))).isEmpty();
    assertThat(SocketErrors.scan(new StringReader(""))).isEmpty();
  }

  @Test
  void excerptsHaveNoControlCharactersAndAreBounded() {
    String line = "\u001b[31mConnection refused\u0007 " + "y".repeat(500);
    Finding f = SocketErrors.scan(new StringReader(line)).get(0);
    assertThat(f.excerpt()).doesNotContain("\u001b", "\u0007").hasSizeLessThanOrEqualTo(201);
  }

  /** A reader of n 'x' characters that holds none of them in memory. */
  private static Reader xs(long n) {
    return new Reader() {
      private long left = n;

      @Override
      public int read(char[] cbuf, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int k = (int) Math.min(len, left);
        java.util.Arrays.fill(cbuf, off, off + k, 'x');
        left -= k;
        return k;
      }

      @Override
      public void close() {}
    };
  }

  private static Reader concat(Reader a, Reader b) {
    return new Reader() {
      private boolean first = true;

      @Override
      public int read(char[] cbuf, int off, int len) throws IOException {
        if (first) {
          int n = a.read(cbuf, off, len);
          if (n >= 0) {
            return n;
          }
          first = false;
        }
        return b.read(cbuf, off, len);
      }

      @Override
      public void close() {}
    };
  }
}
