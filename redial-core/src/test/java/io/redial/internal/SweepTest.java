package io.redial.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.redial.RedialException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Which target each attempt goes to: sweeps, resolved addresses, discovery, failback. */
class SweepTest {
  private static final SplittableRandom RANDOM = new SplittableRandom(7);

  private static InetSocketAddress at(String ip, int port) throws UnknownHostException {
    return new InetSocketAddress(InetAddress.getByName(ip), port);
  }

  private static Sweep fixed(Endpoint... endpoints) {
    return new Sweep("t", List.of(endpoints), null, false, RANDOM);
  }

  private static Endpoint name(String host, int port) {
    return new Endpoint(host, port, null);
  }

  /** The labels of the rest of the current sweep, moving through it. */
  private static List<String> drain(Sweep s) {
    List<String> out = new ArrayList<>();
    do {
      out.add(s.label());
    } while (s.advance());
    return out;
  }

  @Test
  void rfc8305OrderKeepsTheFirstFamilyFirstThenAlternates() throws Exception {
    List<SocketAddress> in = List.of(at("::1", 1), at("::2", 1), at("::3", 1),
        at("127.0.0.1", 1), at("127.0.0.2", 1));
    assertThat(Sweep.interleave(in)).containsExactly(at("::1", 1), at("127.0.0.1", 1),
        at("::2", 1), at("127.0.0.2", 1), at("::3", 1));
    List<SocketAddress> v4first = List.of(at("127.0.0.1", 1), at("127.0.0.2", 1), at("::1", 1));
    assertThat(Sweep.interleave(v4first))
        .containsExactly(at("127.0.0.1", 1), at("::1", 1), at("127.0.0.2", 1));
    assertThat(Sweep.interleave(List.of())).isEmpty();
  }

  @Test
  void everyAddressOfANameIsTriedInTheSweepBeforeTheNextEndpoint() throws Exception {
    Sweep s = fixed(name("db.test", 5), name("backup.test", 6));
    assertThat(s.current().needsResolution()).isTrue();
    assertThat(s.label()).isEqualTo("db.test:5");
    s.resolved(List.of(at("10.0.0.1", 5), at("10.0.0.2", 5), at("fd00::1", 5)));
    assertThat(s.current().address()).isEqualTo(at("10.0.0.1", 5));
    assertThat(s.label()).isEqualTo("db.test/10.0.0.1:5");
    assertThat(s.advance()).isTrue();
    assertThat(s.label()).isEqualTo("db.test/[fd00:0:0:0:0:0:0:1]:5");
    assertThat(s.advance()).isTrue();
    assertThat(s.label()).isEqualTo("db.test/10.0.0.2:5");
    assertThat(s.index()).isZero();
    assertThat(s.advance()).isTrue();
    assertThat(s.label()).isEqualTo("backup.test:6");
    assertThat(s.index()).isEqualTo(1);
    assertThat(s.advance()).isFalse(); // the sweep is over: backoff
    // the next sweep resolves again: nothing of the last answer is kept
    assertThat(s.current().needsResolution()).isTrue();
    assertThat(s.label()).isEqualTo("db.test:5");
  }

  @Test
  void afterALossTheSweepStartsWithWhatWorkedAfterAReplacementFromTheTop() {
    Sweep s = fixed(name("a.test", 1), name("b.test", 2), name("c.test", 3));
    assertThat(s.advance()).isTrue(); // a refused
    assertThat(s.label()).isEqualTo("b.test:2"); // connected here, then lost
    s.newSweep(true);
    assertThat(drain(s)).containsExactly("b.test:2", "a.test:1", "c.test:3");
    s.current();
    assertThat(s.advance()).isTrue();
    assertThat(s.label()).isEqualTo("b.test:2"); // connected again, then replaced (max age)
    s.newSweep(false);
    assertThat(drain(s)).containsExactly("a.test:1", "b.test:2", "c.test:3");
  }

  @Test
  void theSupplierIsAskedOncePerSweepAndItsFailuresFailTheSweep() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    List<Supplier<Collection<SocketAddress>>> answers = List.of(
        () -> {
          throw new IllegalStateException("registry down");
        },
        List::of,
        () -> null,
        () -> List.of(new SocketAddress() {
          @Override
          public String toString() {
            return "odd";
          }
        }),
        () -> List.of(InetSocketAddress.createUnresolved("svc.test", 0)),
        () -> List.of(new InetSocketAddress("127.0.0.1", 7),
            UnixDomainSocketAddress.of("/run/x.sock")));
    Sweep s = new Sweep("disc", List.of(), () -> answers.get(asked.getAndIncrement()).get(),
        false, RANDOM);
    String[] expected = {"threw java.lang.IllegalStateException: registry down",
        "returned no endpoints", "returned null", "odd of type",
        "port must be in 1..65535, but was 0"};
    for (String e : expected) {
      Sweep.Target t = s.current();
      assertThat(t.error()).isInstanceOf(RedialException.class).hasMessageContaining(e)
          .hasMessageContaining("connection 'disc'");
      assertThat(((RedialException) t.error()).error().name()).isEqualTo("NO_ENDPOINTS");
      assertThat(t.label()).isEqualTo("endpoints()");
      assertThat(s.advance()).isFalse(); // one failed attempt, then the backoff
    }
    assertThat(drain(s)).containsExactly("127.0.0.1:7", "unix:/run/x.sock");
    assertThat(asked).hasValue(6);
  }

  @Test
  void shuffleUsesTheConnectionsRandomAndKeepsEveryEndpoint() {
    List<Endpoint> list = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      list.add(name("h" + i + ".test", 1));
    }
    Sweep a = new Sweep("s", list, null, true, new SplittableRandom(1));
    Sweep b = new Sweep("s", list, null, true, new SplittableRandom(1));
    List<String> first = drain(a);
    assertThat(first).isEqualTo(drain(b)).containsExactlyInAnyOrderElementsOf(
        list.stream().map(Endpoint::label).toList());
    List<String> again = drain(a); // a new sweep, a new order
    assertThat(again).containsExactlyInAnyOrderElementsOf(first);
    assertThat(List.of(first, again, drain(a), drain(a))).doesNotHaveDuplicates();
  }
}
