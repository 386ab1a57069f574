package io.redial.internal;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Where a connection's attempts go: the endpoints of the current sweep, in order, each name
 * expanded into its addresses once it is resolved. A sweep is one pass over the endpoint list —
 * the configured one, or the supplier's answer, asked once per sweep — in which every target is
 * tried once; the backoff waits only between sweeps.
 *
 * <p>Order: the list's, shuffled per sweep with {@code shuffleEndpoints()}; after a lost
 * connection the sweep starts with the endpoint that just worked, after a replacement
 * ({@code reconnect()}, {@code maxConnectionAge}) and after a failed sweep it starts from the top,
 * so a connection on a fallback endpoint returns to the preferred one. The addresses of a name
 * are tried in RFC 8305 order: the resolver's first address, then the families alternating.
 *
 * <p>Event loop only. The lifecycle moves through it ({@link LifecycleTypes.Route}); the driver
 * asks for the current target and reports what a name resolved to.
 */
public final class Sweep implements LifecycleTypes.Route {
  /**
   * One thing to connect to.
   *
   * @param endpoint the endpoint as configured or supplied
   * @param index its index in the sweep's list (before any shuffle)
   * @param address where to connect; null while a name still has to be resolved
   * @param error why the sweep has no endpoint (the supplier failed); null otherwise
   */
  public record Target(Endpoint endpoint, int index, SocketAddress address, RuntimeException error) {
    /** True when the endpoint's name must be resolved before connecting. */
    public boolean needsResolution() {
      return address == null && error == null;
    }

    /** {@code host:port}, or {@code host/address:port} once a name has been resolved. */
    public String label() {
      if (error != null) {
        return "endpoints()";
      }
      if (address instanceof InetSocketAddress a && !endpoint.isUnix()
          && endpoint.resolved() == null && a.getAddress() != null) {
        String ip = a.getAddress().getHostAddress();
        return endpoint.host() + "/" + (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":"
            + a.getPort();
      }
      return endpoint.label();
    }

    /** The {@link #label()}: what a log line shows of the target. */
    @Override
    public String toString() {
      return label();
    }
  }

  private final String name;
  /** The configured endpoints; empty when a supplier gives them. */
  private final List<Endpoint> fixed;
  /**
   * One target per configured endpoint, in the list's order, made once: an unshuffled sweep of
   * the configured list starts from this very list (immutable) rather than a copy.
   */
  private final List<Target> fixedTargets;
  /** Asked at the start of every sweep; null for the configured list. */
  private final Supplier<? extends Collection<? extends SocketAddress>> supplier;
  private final boolean shuffle;
  private final RandomGenerator random;

  // ---- event loop only ------------------------------------------------------------------------
  /** The current sweep's targets; null when the next attempt starts a new sweep. */
  private List<Target> targets;
  /** The current target's position in {@link #targets}. */
  private int position;
  /** The endpoint the next sweep starts with; null: the top of the list. */
  private Endpoint first;

  public Sweep(String name, List<Endpoint> fixed,
      Supplier<? extends Collection<? extends SocketAddress>> supplier, boolean shuffle,
      RandomGenerator random) {
    this.name = name;
    this.fixed = List.copyOf(fixed);
    this.supplier = supplier;
    this.shuffle = shuffle;
    this.random = random;
    if (supplier == null && this.fixed.isEmpty()) {
      throw new IllegalArgumentException("endpoints must not be empty");
    }
    this.fixedTargets = List.copyOf(targetsOf(this.fixed));
  }

  private static List<Target> targetsOf(List<Endpoint> list) {
    List<Target> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Endpoint e = list.get(i);
      out.add(new Target(e, i, e.fixedAddress(), null));
    }
    return out;
  }

  /** The target of the current (or next) attempt; starts a new sweep when one is due. */
  public Target current() {
    if (targets == null) {
      begin();
    }
    return targets.get(position);
  }

  @Override
  public String label() {
    return current().label();
  }

  @Override
  public int index() {
    return current().index();
  }

  @Override
  public boolean advance() {
    current();
    if (++position < targets.size()) {
      return true;
    }
    targets = null;
    first = null;
    return false;
  }

  @Override
  public void newSweep(boolean stay) {
    first = stay && targets != null ? targets.get(position).endpoint() : null;
    targets = null;
  }

  /**
   * The current target's name resolved to {@code addresses} (not empty): the target becomes one
   * per address, in RFC 8305 order, and the first of them is current.
   */
  public void resolved(List<? extends SocketAddress> addresses) {
    Target t = current();
    List<Target> expanded = new ArrayList<>(targets.size() + addresses.size());
    expanded.addAll(targets.subList(0, position));
    for (SocketAddress a : interleave(addresses)) {
      expanded.add(new Target(t.endpoint(), t.index(), a, null));
    }
    expanded.addAll(targets.subList(position + 1, targets.size()));
    targets = expanded;
  }

  private void begin() {
    position = 0;
    List<Target> out;
    try {
      if (supplier == null) {
        if (!shuffle && (first == null || fixedTargets.get(0).endpoint().equals(first))) {
          targets = fixedTargets; // already in order
          return;
        }
        out = new ArrayList<>(fixedTargets);
      } else {
        out = targetsOf(supplied());
      }
    } catch (RuntimeException e) {
      targets = List.of(new Target(new Endpoint("endpoints()", 0, null), 0, null, e));
      return;
    }
    if (shuffle) {
      for (int i = out.size() - 1; i > 0; i--) { // Fisher-Yates
        int j = random.nextInt(i + 1);
        out.set(i, out.set(j, out.get(i)));
      }
    }
    if (first != null) {
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i).endpoint().equals(first)) {
          out.add(0, out.remove(i));
          break;
        }
      }
    }
    targets = out;
  }

  /** Asks the supplier; throws with a clear message when its answer cannot be used. */
  private List<Endpoint> supplied() {
    Collection<? extends SocketAddress> answer;
    try {
      answer = supplier.get();
    } catch (RuntimeException e) {
      throw Errors.NO_ENDPOINTS.exception(
          "connection '" + name + "': the endpoints supplier threw " + e, e);
    }
    if (answer == null || answer.isEmpty()) {
      throw Errors.NO_ENDPOINTS.exception("connection '" + name + "': the endpoints supplier"
          + " returned " + (answer == null ? "null" : "no endpoints")
          + "; it must return at least one InetSocketAddress or UnixDomainSocketAddress");
    }
    List<Endpoint> list = new ArrayList<>(answer.size());
    for (SocketAddress a : answer) {
      list.add(toEndpoint(a, "connection '" + name + "': the endpoints supplier returned "));
    }
    return list;
  }

  /**
   * The endpoint for {@code address}; throws when it is not one Redial can connect to.
   *
   * @param what how an error message starts (who gave the address)
   */
  public static Endpoint toEndpoint(SocketAddress address, String what) {
    if (address instanceof InetSocketAddress a) {
      if (a.getPort() < 1) {
        throw Errors.NO_ENDPOINTS.exception(what + a + ": port must be in 1..65535, but was "
            + a.getPort());
      }
      return a.isUnresolved() || a.getAddress() == null
          ? new Endpoint(a.getHostString(), a.getPort(), null)
          : Endpoint.of(a);
    }
    if (address instanceof UnixDomainSocketAddress u) {
      if (u.getPath().toString().isEmpty()) {
        throw Errors.NO_ENDPOINTS.exception(what + "a Unix domain socket address with an empty"
            + " path (unnamed); it must name a socket file");
      }
      return Endpoint.unix(u);
    }
    throw Errors.NO_ENDPOINTS.exception(what + (address == null ? "null" : address + " of type "
        + address.getClass().getName()) + "; each must be an InetSocketAddress or a"
        + " UnixDomainSocketAddress");
  }

  /**
   * RFC 8305 section 4: the first address's family first, then the two families alternating,
   * each in the resolver's order.
   */
  static List<SocketAddress> interleave(List<? extends SocketAddress> addresses) {
    if (addresses.isEmpty()) {
      return List.of();
    }
    ArrayDeque<SocketAddress> v6 = new ArrayDeque<>();
    ArrayDeque<SocketAddress> other = new ArrayDeque<>();
    for (SocketAddress a : addresses) {
      (isV6(a) ? v6 : other).add(a);
    }
    List<SocketAddress> out = new ArrayList<>(addresses.size());
    boolean takeV6 = isV6(addresses.get(0));
    while (!v6.isEmpty() || !other.isEmpty()) {
      ArrayDeque<SocketAddress> from = takeV6 ? v6 : other;
      if (from.isEmpty()) {
        from = takeV6 ? other : v6;
      }
      out.add(from.poll());
      takeV6 = !takeV6;
    }
    return out;
  }

  private static boolean isV6(SocketAddress a) {
    return a instanceof InetSocketAddress i && i.getAddress() instanceof Inet6Address;
  }
}
