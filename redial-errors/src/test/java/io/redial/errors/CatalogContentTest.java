package io.redial.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The catalog is complete enough to be useful and written for people. */
class CatalogContentTest {

  @Test
  void everyEntryExplainsItself() {
    for (SocketError e : SocketErrors.all()) {
      assertThat(e.summary()).as(e.name()).isNotBlank().doesNotContain("\n")
          .hasSizeLessThanOrEqualTo(110);
      assertThat(e.cause()).as(e.name()).hasSizeGreaterThan(20);
      assertThat(e.fix()).as(e.name()).hasSizeGreaterThan(10);
      assertThat(e.tip()).as(e.name()).isNotBlank().hasSizeLessThanOrEqualTo(SocketError.MAX_TIP);
    }
  }

  @Test
  void kindsMatchTheNumbers() {
    for (SocketError e : SocketErrors.all()) {
      assertThat(e.winsock().isPresent()).as(e.name()).isEqualTo(e.kind() == Kind.WINSOCK);
      if (e.kind() == Kind.POSIX) {
        assertThat(e.posixName()).as(e.name()).isPresent();
      }
      if (e.posixName().isPresent()) {
        assertThat(e.linuxErrno().isPresent() || e.macosErrno().isPresent()).as(e.name()).isTrue();
      }
    }
  }

  @Test
  void namesAreUnique() {
    Set<String> names = new HashSet<>();
    for (SocketError e : SocketErrors.all()) {
      assertThat(names.add(e.name())).as(e.name()).isTrue();
    }
    assertThat(names).hasSizeGreaterThan(100);
  }

  @Test
  void theJdkWordingOfEveryVersionIsRecorded() {
    SocketError isconn = SocketErrors.lookup("WSAEISCONN").orElseThrow();
    assertThat(isconn.javaForms()).extracting(JavaForm::toString).contains(
        "java.net.SocketException: already connected",
        "java.net.SocketException: Already connected",
        "java.nio.channels.AlreadyConnectedException");
    assertThat(isconn.osMessage(Os.LINUX)).contains("Transport endpoint is already connected");
    assertThat(isconn.osMessage(Os.MACOS)).contains("Socket is already connected");
  }

  @Test
  void theSevenArgumentConstructorStillWorks() {
    SocketError e = new SocketError("X", java.util.OptionalInt.empty(), java.util.OptionalInt.of(1),
        java.util.OptionalInt.empty(), "s", "c", "f");
    assertThat(e.kind()).isEqualTo(Kind.POSIX);
    assertThat(e.javaForms()).isEmpty();
    assertThat(e.tip()).isEqualTo("f");
    assertThat(SocketErrors.all()).isUnmodifiable();
  }
}
