package io.redial.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a user pastes or a log contains, lookup and scan answer and never throw. */
class FuzzTest {

  /** Pieces that drive the parsers into their corners, glued together at random. */
  private static final List<String> PIECES = List.of(
      "0x", "0X", "8007", "2748", "FFFF", "-", "+", "10056", "106", "errno", "error", "code",
      "=", ":", " ", "(", ")", "\r", "\n", "\t", "WSA", "E", "WSAE", "_", "ISCONN", "already",
      " connected", "Connection", " refused", "java.net.", "Exception", "SSL", " doesn't match",
      "\u0000", "\uFFFF", "\uD800", "é", "ß", "İ", "…", "at ", "... 1 more", "[if ssl]", "99999",
      "00000000000000000000", "9223372036854775808", "-2147483648", "WSAGetLastError()");

  @Provide
  Arbitrary<String> glued() {
    return Arbitraries.of(PIECES).list().ofMaxSize(40).map(l -> String.join("", l));
  }

  @Property(tries = 3000)
  void lookupNeverThrows(@ForAll("glued") String glued, @ForAll String random) {
    for (Os os : Os.values()) {
      SocketErrors.lookup(glued, os);
      SocketErrors.lookup(random, os);
    }
    assertThat(SocketErrors.closest(glued, 5)).hasSizeLessThanOrEqualTo(5);
  }

  @Property(tries = 1000)
  void scanNeverThrowsAndReportsEachErrorOnce(@ForAll("glued") String glued, @ForAll String random) {
    List<Finding> findings = SocketErrors.scan(new StringReader(glued + "\n" + random));
    assertThat(findings).extracting(Finding::error).doesNotHaveDuplicates();
    assertThat(findings).allSatisfy(f -> {
      assertThat(f.count()).isPositive();
      assertThat(f.firstLine()).isPositive();
    });
  }

  @Property(tries = 1000)
  void ofNeverThrows(@ForAll("glued") String message, @ForAll("glued") String causeMessage) {
    SocketErrors.of(new java.io.IOException(message, new RuntimeException(causeMessage)));
  }

  @Property(tries = 300)
  void anErrorNamedInALineIsFoundWhereverItSits(
      @ForAll("anyEntryName") String name, @ForAll("glued") String before) {
    String line = "x " + before.replace('\n', ' ').replace('\r', ' ') + " " + name + " y";
    assertThat(SocketErrors.scan(new StringReader(line)))
        .extracting(f -> f.error().name()).contains(name);
  }

  @Provide
  Arbitrary<String> anyEntryName() {
    return Arbitraries.of(SocketErrors.all().stream()
        .map(SocketError::name)
        .filter(n -> n.startsWith("WSA"))
        .toList());
  }
}
