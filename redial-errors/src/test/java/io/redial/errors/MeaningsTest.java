package io.redial.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A number that means different errors on different systems lists every meaning, best first. */
class MeaningsTest {

  @Test
  void eightySevenIsEusersOnLinuxAndInvalidParameterOnWindows() {
    List<Meaning> m = SocketErrors.meanings("87", Os.LINUX);

    assertThat(m).extracting(x -> x.error().name())
        .containsExactly("WSAEUSERS", "WSA_INVALID_PARAMETER");
    assertThat(m.get(0).oses()).containsExactly(Os.LINUX);
    assertThat(m.get(1).oses()).containsExactly(Os.WINDOWS);
  }

  @Test
  void thePreferredSystemComesFirst() {
    List<Meaning> m = SocketErrors.meanings("87", Os.WINDOWS);

    assertThat(m).extracting(x -> x.error().name())
        .containsExactly("WSA_INVALID_PARAMETER", "WSAEUSERS");
  }

  @Test
  void macosAndLinuxNumbersDiffer() {
    // 56 is nothing on Linux, EISCONN on macOS; 36 is ENAMETOOLONG on Linux, EINPROGRESS on macOS.
    assertThat(SocketErrors.meanings("56", Os.LINUX)).extracting(x -> x.error().name())
        .containsExactly("WSAEISCONN");
    List<Meaning> m36 = SocketErrors.meanings("36", Os.LINUX);
    assertThat(m36).extracting(x -> x.error().name())
        .startsWith("WSAENAMETOOLONG").contains("WSAEINPROGRESS");
  }

  @Test
  void aNameHasOneMeaningOnEverySystem() {
    List<Meaning> m = SocketErrors.meanings("WSAEISCONN", Os.MACOS);

    assertThat(m).hasSize(1);
    assertThat(m.get(0).oses()).containsExactly(Os.MACOS, Os.LINUX, Os.WINDOWS);
  }

  @Test
  void nothingMatchesNothing() {
    assertThat(SocketErrors.meanings("no such error at all zzz", Os.LINUX)).isEmpty();
    assertThat(SocketErrors.meanings(null, Os.LINUX)).isEmpty();
  }
}
