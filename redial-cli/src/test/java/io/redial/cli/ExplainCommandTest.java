package io.redial.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.errors.SocketError;
import io.redial.errors.SocketErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code redial explain} in-process: output, exit statuses and bad input. */
class ExplainCommandTest {

  static final String MIXED_LOG = """
      2026-11-21 10:00:00.120 WARN  [nioEventLoopGroup-2-1] c.e.Client - connect failed
      io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: /127.0.0.1:9000
      Caused by: java.net.ConnectException: Connection refused
      \tat java.base/sun.nio.ch.Net.pollConnect(Native Method)
      java.util.concurrent.ExecutionException: java.net.SocketException: already connected
      Caused by: java.net.SocketException: already connected
      [2026-11-21 10:00:02] client.exe: send() failed with error 10054 (0x2746)
      myapp[4242]: write: Broken pipe
      javax.net.ssl.SSLHandshakeException: PKIX path building failed: unable to find valid certification path to requested target
      """;

  @TempDir Path dir;

  @Test
  void explainsAnErrorForPeople() {
    CliRun r = CliRun.run("explain", "0X00002748");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("WSAEISCONN  10056 · 0x00002748 · HRESULT 0x80072748\n")
        .contains("\nconnect() was called on a socket that is already connected.\n"
            + "In short: Close, create a fresh socket, connect\n")
        .contains("POSIX     EISCONN: Linux 106, macOS 56")
        .contains("Linux     \"Transport endpoint is already connected\"")
        .contains("java.net.SocketException: already connected [JDK 17")
        .contains("java.net.SocketException: Already connected [JDK 25")
        .contains("Why it happens", "How to fix it", "Close the old socket, create a fresh one");
    assertThat(r.out()).doesNotContain("\u001b"); // not a terminal: no colour
  }

  @Test
  void joinsWordsAndReadsNumbersForTheChosenOs() {
    assertThat(CliRun.run("explain", "already", "connected").out()).startsWith("WSAEISCONN");
    assertThat(CliRun.run("explain", "--os", "macos", "56").out()).startsWith("WSAEISCONN");
    assertThat(CliRun.run("explain", "--os", "MacOS", "61").out()).startsWith("WSAECONNREFUSED");
    assertThat(CliRun.run("explain", "111").out()).startsWith("WSAECONNREFUSED");
    assertThat(CliRun.run("explain", "--os", "linux", "56").exit()).isEqualTo(1);
  }

  @Test
  void anAmbiguousNumberShowsTheBestGuessThenEveryOtherMeaning() {
    CliRun r = CliRun.run("explain", "87");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("WSAEUSERS")
        .contains("87 also means\n  WSA_INVALID_PARAMETER on Windows: ")
        .contains("'redial explain --os windows 87'");
    assertThat(r.out().indexOf("How to fix it")).isLessThan(r.out().indexOf("87 also means"));
  }

  @Test
  void osPicksOneMeaning() {
    CliRun windows = CliRun.run("explain", "--os", "windows", "87");
    assertThat(windows.out()).startsWith("WSA_INVALID_PARAMETER").doesNotContain("also means");
    CliRun linux = CliRun.run("explain", "--os", "linux", "87");
    assertThat(linux.out()).startsWith("WSAEUSERS").doesNotContain("also means");
  }

  @Test
  void aNumberThatMeansNothingOnLinuxIsReadAsTheSystemThatHasIt() {
    CliRun r = CliRun.run("explain", "56");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("56 means nothing on Linux; read as macOS's:\nWSAEISCONN");
  }

  @Test
  void jsonListsEveryMeaning() {
    CliRun r = CliRun.run("explain", "--json", "87");

    assertThat(r.exit()).isZero();
    String flat = r.out().replaceAll("\\n\\s*", "");
    assertThat(flat).startsWith("{\"name\": \"WSAEUSERS\"")
        .contains("\"os\": [\"linux\"]")
        .contains("\"alsoMeans\": [{\"name\": \"WSA_INVALID_PARAMETER\"")
        .contains("\"os\": [\"windows\"]");
    assertThat(CliRun.run("explain", "--json", "--os", "windows", "87").out()
        .replaceAll("\\n\\s*", ""))
        .startsWith("{\"name\": \"WSA_INVALID_PARAMETER\"").doesNotContain("alsoMeans");
  }

  @Test
  void everyEntryFitsEightyColumns() {
    for (SocketError e : SocketErrors.all()) {
      CliRun r = CliRun.run("explain", e.name());
      assertThat(r.exit()).as(e.name()).isZero();
      assertThat(r.out().lines()).as(e.name())
          .allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
      assertThat(r.out()).startsWith(e.name());
    }
  }

  @Test
  void colourOnlyWhenAskedOrOnATerminal() {
    assertThat(CliRun.run("explain", "--color=always", "EPIPE").out()).contains("\u001b[1m");
    assertThat(CliRun.run("explain", "--color=never", "EPIPE").out()).doesNotContain("\u001b");
  }

  @Test
  void unknownInputSaysNotFoundWithTheClosestMatches() {
    CliRun r = CliRun.run("explain", "WSAECONRESET");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("not found: 'WSAECONRESET'", "Closest matches:", "WSAECONNRESET");

    CliRun nothing = CliRun.run("explain", "zzzzzzzzzzzzzzzz");
    assertThat(nothing.exit()).isEqualTo(1);
    assertThat(nothing.err()).contains("No close match", "--all");
  }

  @Test
  void aMegabyteArgumentGetsAShortAnswer() {
    String huge = "q".repeat(1 << 20);
    CliRun r = CliRun.run("explain", huge);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("(1,048,576 characters)").hasSizeLessThan(2_000);

    CliRun option = CliRun.run("explain", "--" + huge);
    assertThat(option.exit()).isEqualTo(2);
    assertThat(option.err()).hasSizeLessThan(5_000).doesNotContain("\tat ");
  }

  @Test
  void controlCharactersInTheQueryAreNotEchoed() {
    CliRun r = CliRun.run("explain", "\u001b[2J\u0007boom");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).doesNotContain("\u001b", "\u0007").contains("?[2J?boom");
  }

  @Test
  void jsonForMachines() {
    CliRun r = CliRun.run("explain", "--json", "0x80072748");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("{\n  \"name\": \"WSAEISCONN\",")
        .contains("\"winsock\": 10056", "\"hex\": \"0x00002748\"", "\"hresult\": \"0x80072748\"",
            "\"posix\": \"EISCONN\"", "\"linuxErrno\": 106", "\"macosErrno\": 56",
            "\"exception\": \"java.nio.channels.AlreadyConnectedException\"",
            "\"linux\": \"Transport endpoint is already connected\"");

    CliRun missing = CliRun.run("explain", "--json", "WSAECONRESET");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.out()).contains("\"error\": \"not found\"", "\"WSAECONNRESET\"");
  }

  @Test
  void listsTheWholeCatalog() {
    CliRun r = CliRun.run("explain", "--all");
    assertThat(r.exit()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("NAME").contains("WINSOCK", "POSIX", "LINUX", "MACOS");
    assertThat(lines).hasSize(SocketErrors.all().size() + 3)
        .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80))
        .anySatisfy(l -> assertThat(l).matches("WSAEISCONN +10056 +EISCONN +106 +56 +winsock"));

    CliRun json = CliRun.run("explain", "--all", "--json");
    assertThat(json.out()).startsWith("[");
    assertThat(json.out().split("\"name\": ", -1)).hasSize(SocketErrors.all().size() + 1);
  }

  @Test
  void scansALogIntoATable() throws IOException {
    Path log = dir.resolve("app.log");
    Files.writeString(log, MIXED_LOG);
    CliRun r = CliRun.run("explain", "--scan", log.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines().toList()).startsWith(
        "COUNT  LINE  ERROR                      FIX",
        "    2     2  WSAECONNREFUSED            Start the server or fix host:port",
        "    2     5  WSAEISCONN                 Close, create a fresh socket, connect",
        "    1     7  WSAECONNRESET              Reconnect with backoff; resend unacked",
        "    1     8  BROKEN_PIPE                Reconnect; resend what was not acked",
        "    1     9  TLS_UNTRUSTED_CERTIFICATE  Send full chain / trust the CA",
        "");
    assertThat(r.out()).contains("5 errors recognised in " + log);

    CliRun json = CliRun.run("explain", "--scan", log.toString(), "--json");
    assertThat(json.out()).contains("\"name\": \"WSAECONNREFUSED\"", "\"firstLine\": 2",
        "\"count\": 2");
  }

  @Test
  void scanningABinaryFileFindsNothingAndSaysSo() throws IOException {
    byte[] noise = new byte[1 << 20];
    new Random(42).nextBytes(noise);
    Path bin = dir.resolve("noise.bin");
    Files.write(bin, noise);
    CliRun r = CliRun.run("explain", "--scan", bin.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no socket errors recognised in " + bin);
  }

  @Test
  void scanningWhatCannotBeReadIsAUsageError() {
    CliRun missing = CliRun.run("explain", "--scan", dir.resolve("nope.log").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("--scan: cannot read", "nope.log", "no such file");

    CliRun directory = CliRun.run("explain", "--scan", dir.toString());
    assertThat(directory.exit()).isEqualTo(2);
    assertThat(directory.err()).contains("it is a directory");

    CliRun nul = CliRun.run("explain", "--scan", "bad\u0000path");
    assertThat(nul.exit()).isEqualTo(2);
    assertThat(nul.err()).contains("not a valid path").doesNotContain("\u0000");
  }

  @Test
  void usageErrorsNameTheProblem() {
    CliRun none = CliRun.run("explain");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("nothing to explain");

    CliRun both = CliRun.run("explain", "--all", "EPIPE");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("give only one of: QUERY, --all, --scan FILE");

    CliRun os = CliRun.run("explain", "--os", "plan9", "5");
    assertThat(os.exit()).isEqualTo(2);
    assertThat(os.err()).contains("--os", "'plan9'", "allowed: linux, macos, windows");

    CliRun color = CliRun.run("explain", "--color", "purple", "5");
    assertThat(color.exit()).isEqualTo(2);
    assertThat(color.err()).contains("--color", "purple");
  }

  @Test
  void helpVersionAndTheBareCommand() {
    CliRun help = CliRun.run("explain", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--scan=FILE|-", "Exit status: 0 found, 1 not found");

    CliRun version = CliRun.run("--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).startsWith("redial 0.").doesNotContain("${");

    CliRun bare = CliRun.run();
    assertThat(bare.exit()).isEqualTo(2);
    assertThat(bare.err()).contains("Commands:", "explain", "missing command");
  }

  @Test
  void randomArgumentsNeverShowAStackTrace() {
    Random random = new Random(20261121);
    String[] pieces = {"explain", "--json", "--all", "--os", "linux", "macos", "windows", "plan9",
        "--scan", "-x", "--color", "always", "0x", "10056", "EISCONN", "--", "-", "=", "\u0000",
        "\u001b[2J", "é", "already", "connected", "--help", "-V", "proxy"};
    for (int i = 0; i < 300; i++) {
      String[] args = new String[random.nextInt(6)];
      for (int j = 0; j < args.length; j++) {
        args[j] = random.nextInt(4) == 0
            ? Long.toString(random.nextLong(), 36)
            : pieces[random.nextInt(pieces.length)];
      }
      if (List.of(args).contains("proxy") || List.of(args).contains("-") ) {
        continue; // proxy starts a server and '-' reads stdin: covered elsewhere
      }
      CliRun r = CliRun.run(args);
      assertThat(r.exit()).as(String.join(" ", args)).isIn(0, 1, 2);
      assertThat(r.err()).as(String.join(" ", args)).doesNotContain("\tat ", "internal error");
    }
  }

  @Test
  void scanOfEmptyInputFindsNothing() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.log"), "", StandardCharsets.UTF_8);
    assertThat(CliRun.run("explain", "--scan", empty.toString()).exit()).isEqualTo(1);
  }
}
