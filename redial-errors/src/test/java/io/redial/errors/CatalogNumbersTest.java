package io.redial.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every number in the catalog against a table typed here independently from the headers:
 * winsock2.h / winerror.h (Winsock and Win32 codes), Linux include/uapi/asm-generic/errno-base.h
 * and errno.h, xnu bsd/sys/errno.h. Checked both ways: number → name and name → number.
 */
class CatalogNumbersTest {

  /** name, winsock, POSIX twin, Linux errno, macOS errno ("-" where there is none). */
  private static final String TABLE = """
      WSAEINTR               10004 EINTR            4   4
      WSAEBADF               10009 EBADF            9   9
      WSAEACCES              10013 EACCES          13  13
      WSAEFAULT              10014 EFAULT          14  14
      WSAEINVAL              10022 EINVAL          22  22
      WSAEMFILE              10024 EMFILE          24  24
      WSAEWOULDBLOCK         10035 EWOULDBLOCK     11  35
      WSAEINPROGRESS         10036 EINPROGRESS    115  36
      WSAEALREADY            10037 EALREADY       114  37
      WSAENOTSOCK            10038 ENOTSOCK        88  38
      WSAEDESTADDRREQ        10039 EDESTADDRREQ    89  39
      WSAEMSGSIZE            10040 EMSGSIZE        90  40
      WSAEPROTOTYPE          10041 EPROTOTYPE      91  41
      WSAENOPROTOOPT         10042 ENOPROTOOPT     92  42
      WSAEPROTONOSUPPORT     10043 EPROTONOSUPPORT 93  43
      WSAESOCKTNOSUPPORT     10044 ESOCKTNOSUPPORT 94  44
      WSAEOPNOTSUPP          10045 EOPNOTSUPP      95 102
      WSAEPFNOSUPPORT        10046 EPFNOSUPPORT    96  46
      WSAEAFNOSUPPORT        10047 EAFNOSUPPORT    97  47
      WSAEADDRINUSE          10048 EADDRINUSE      98  48
      WSAEADDRNOTAVAIL       10049 EADDRNOTAVAIL   99  49
      WSAENETDOWN            10050 ENETDOWN       100  50
      WSAENETUNREACH         10051 ENETUNREACH    101  51
      WSAENETRESET           10052 ENETRESET      102  52
      WSAECONNABORTED        10053 ECONNABORTED   103  53
      WSAECONNRESET          10054 ECONNRESET     104  54
      WSAENOBUFS             10055 ENOBUFS        105  55
      WSAEISCONN             10056 EISCONN        106  56
      WSAENOTCONN            10057 ENOTCONN       107  57
      WSAESHUTDOWN           10058 ESHUTDOWN      108  58
      WSAETOOMANYREFS        10059 ETOOMANYREFS   109  59
      WSAETIMEDOUT           10060 ETIMEDOUT      110  60
      WSAECONNREFUSED        10061 ECONNREFUSED   111  61
      WSAELOOP               10062 ELOOP           40  62
      WSAENAMETOOLONG        10063 ENAMETOOLONG    36  63
      WSAEHOSTDOWN           10064 EHOSTDOWN      112  64
      WSAEHOSTUNREACH        10065 EHOSTUNREACH   113  65
      WSAENOTEMPTY           10066 ENOTEMPTY       39  66
      WSAEPROCLIM            10067 EPROCLIM         -  67
      WSAEUSERS              10068 EUSERS          87  68
      WSAEDQUOT              10069 EDQUOT         122  69
      WSAESTALE              10070 ESTALE         116  70
      WSAEREMOTE             10071 EREMOTE         66  71
      WSASYSNOTREADY         10091 -                -   -
      WSAVERNOTSUPPORTED     10092 -                -   -
      WSANOTINITIALISED      10093 -                -   -
      WSAEDISCON             10101 -                -   -
      WSAENOMORE             10102 -                -   -
      WSAECANCELLED          10103 -                -   -
      WSAEINVALIDPROCTABLE   10104 -                -   -
      WSAEINVALIDPROVIDER    10105 -                -   -
      WSAEPROVIDERFAILEDINIT 10106 -                -   -
      WSASYSCALLFAILURE      10107 -                -   -
      WSASERVICE_NOT_FOUND   10108 -                -   -
      WSATYPE_NOT_FOUND      10109 -                -   -
      WSA_E_NO_MORE          10110 -                -   -
      WSA_E_CANCELLED        10111 -                -   -
      WSAEREFUSED            10112 -                -   -
      WSAHOST_NOT_FOUND      11001 -                -   -
      WSATRY_AGAIN           11002 -                -   -
      WSANO_RECOVERY         11003 -                -   -
      WSANO_DATA             11004 -                -   -
      WSA_QOS_RECEIVERS      11005 -                -   -
      WSA_QOS_SENDERS        11006 -                -   -
      WSA_QOS_NO_SENDERS     11007 -                -   -
      WSA_QOS_NO_RECEIVERS   11008 -                -   -
      WSA_QOS_REQUEST_CONFIRMED 11009 -             -   -
      WSA_QOS_ADMISSION_FAILURE 11010 -             -   -
      WSA_QOS_POLICY_FAILURE 11011 -                -   -
      WSA_QOS_BAD_STYLE      11012 -                -   -
      WSA_QOS_BAD_OBJECT     11013 -                -   -
      WSA_QOS_TRAFFIC_CTRL_ERROR 11014 -            -   -
      WSA_QOS_GENERIC_ERROR  11015 -                -   -
      WSA_QOS_ESERVICETYPE   11016 -                -   -
      WSA_QOS_EFLOWSPEC      11017 -                -   -
      WSA_QOS_EPROVSPECBUF   11018 -                -   -
      WSA_QOS_EFILTERSTYLE   11019 -                -   -
      WSA_QOS_EFILTERTYPE    11020 -                -   -
      WSA_QOS_EFILTERCOUNT   11021 -                -   -
      WSA_QOS_EOBJLENGTH     11022 -                -   -
      WSA_QOS_EFLOWCOUNT     11023 -                -   -
      WSA_QOS_EUNKOWNPSOBJ   11024 -                -   -
      WSA_QOS_EPOLICYOBJ     11025 -                -   -
      WSA_QOS_EFLOWDESC      11026 -                -   -
      WSA_QOS_EPSFLOWSPEC    11027 -                -   -
      WSA_QOS_EPSFILTERSPEC  11028 -                -   -
      WSA_QOS_ESDMODEOBJ     11029 -                -   -
      WSA_QOS_ESHAPERATEOBJ  11030 -                -   -
      WSA_QOS_RESERVED_PETYPE 11031 -               -   -
      WSA_INVALID_HANDLE         6 -                -   -
      WSA_NOT_ENOUGH_MEMORY      8 ENOMEM          12  12
      WSA_INVALID_PARAMETER     87 -                -   -
      WSA_OPERATION_ABORTED    995 ECANCELED      125  89
      WSA_IO_INCOMPLETE        996 -                -   -
      WSA_IO_PENDING           997 -                -   -
      BROKEN_PIPE                - EPIPE           32  32
      EPROTO                     - EPROTO          71 100
      ENFILE                     - ENFILE          23  23
      ENONET                     - ENONET          64   -
      """;

  /** The Winsock codes winsock2.h defines in the ranges Microsoft documents. */
  private static final Set<Integer> DOCUMENTED_WINSOCK = Stream.of(
          "10004 10009 10013 10014 10022 10024",
          "10035 10036 10037 10038 10039 10040 10041 10042 10043 10044 10045 10046 10047 10048",
          "10049 10050 10051 10052 10053 10054 10055 10056 10057 10058 10059 10060 10061 10062",
          "10063 10064 10065 10066 10067 10068 10069 10070 10071",
          "10091 10092 10093 10101 10102 10103 10104 10105 10106 10107 10108 10109 10110 10111",
          "10112 6 8 87 995 996 997")
      .flatMap(l -> Stream.of(l.split(" ")))
      .map(Integer::valueOf)
      .collect(Collectors.toCollection(TreeSet::new));

  private record Row(String name, OptionalInt winsock, String posix, OptionalInt linux,
      OptionalInt macos) {}

  private static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (String line : TABLE.strip().split("\n")) {
      String[] f = line.strip().split("\\s+");
      rows.add(new Row(f[0], num(f[1]), f[2], num(f[3]), num(f[4])));
    }
    return rows;
  }

  private static OptionalInt num(String s) {
    return s.equals("-") ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(s));
  }

  private static SocketError byName(String name) {
    return SocketErrors.all().stream().filter(e -> e.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not in the catalog"));
  }

  @TestFactory
  Stream<DynamicTest> nameToNumbers() {
    return rows().stream().map(r -> DynamicTest.dynamicTest(r.name(), () -> {
      SocketError e = byName(r.name());
      assertThat(e.winsock()).as("winsock").isEqualTo(r.winsock());
      assertThat(e.linuxErrno()).as("Linux errno").isEqualTo(r.linux());
      assertThat(e.macosErrno()).as("macOS errno").isEqualTo(r.macos());
      assertThat(e.posixName().orElse("-")).as("POSIX twin").isEqualTo(r.posix());
    }));
  }

  @TestFactory
  Stream<DynamicTest> numbersToName() {
    return rows().stream().map(r -> DynamicTest.dynamicTest(r.name(), () -> {
      r.winsock().ifPresent(w -> {
        assertThat(name(SocketErrors.lookup(Integer.toString(w), Os.WINDOWS)))
            .as("winsock %d", w).isEqualTo(r.name());
        assertThat(name(SocketErrors.lookup(String.format(Locale.ROOT, "0x%X", w))))
            .as("hex").isEqualTo(r.name());
        assertThat(name(SocketErrors.lookup(String.format(Locale.ROOT, "0x%08X", 0x80070000 | w))))
            .as("HRESULT").isEqualTo(r.name());
      });
      r.linux().ifPresent(n -> assertThat(name(SocketErrors.lookup(Integer.toString(n), Os.LINUX)))
          .as("Linux errno %d", n).isEqualTo(r.name()));
      r.macos().ifPresent(n -> assertThat(name(SocketErrors.lookup(Integer.toString(n), Os.MACOS)))
          .as("macOS errno %d", n).isEqualTo(r.name()));
      if (!r.posix().equals("-")) {
        assertThat(name(SocketErrors.lookup(r.posix()))).as("POSIX name").isEqualTo(r.name());
      }
    }));
  }

  @Test
  void hexAndHresultAreDerivedFromTheWinsockCode() {
    SocketError e = byName("WSAEISCONN");
    assertThat(e.hex()).contains("0x00002748");
    assertThat(e.hresult()).contains("0x80072748");
    assertThat(byName("WSA_INVALID_PARAMETER").hresult()).contains("0x80070057"); // E_INVALIDARG
    assertThat(byName("WSA_IO_PENDING").hex()).contains("0x000003E5");
    assertThat(byName("CONNECT_TIMEOUT").hex()).isEmpty();
  }

  @Test
  void theCatalogHasEveryDocumentedWinsockCodeAndNoOther() {
    Set<Integer> inCatalog = SocketErrors.all().stream()
        .filter(e -> e.winsock().isPresent())
        .map(e -> e.winsock().getAsInt())
        .collect(Collectors.toCollection(TreeSet::new));
    Set<Integer> expected = new TreeSet<>(DOCUMENTED_WINSOCK);
    for (int qos = 11001; qos <= 11031; qos++) {
      expected.add(qos);
    }
    assertThat(inCatalog).isEqualTo(expected);
  }

  @Test
  void everyNumberedEntryIsInTheIndependentTable() {
    Set<String> tabled = rows().stream().map(Row::name).collect(Collectors.toSet());
    List<String> untabled = SocketErrors.all().stream()
        .filter(e -> e.winsock().isPresent() || e.linuxErrno().isPresent()
            || e.macosErrno().isPresent())
        .map(SocketError::name)
        .filter(n -> !tabled.contains(n))
        .toList();
    assertThat(untabled).as("entries with numbers the table does not check").isEmpty();
  }

  private static String name(java.util.Optional<SocketError> e) {
    return e.map(SocketError::name).orElse("<none>");
  }
}
