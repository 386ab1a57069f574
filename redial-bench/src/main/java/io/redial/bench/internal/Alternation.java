package io.redial.bench.internal;

import java.util.List;

/**
 * Redial and every client it is measured against take turns, JMH iteration by iteration, inside
 * one JVM: Redial, then a peer, then Redial, then the next peer, … ({@code first} =
 * {@link #REDIAL}), or each peer before its Redial iteration ({@code first} = {@link #PEERS}). Each
 * peer iteration is thus next to a Redial iteration, and the two make a pair: they see the same
 * warm JIT, the same heap, the same kernel state (TIME_WAIT sockets after connect loops) and,
 * nearly, the same noise from the rest of a shared machine. A ratio of one pair's two scores is
 * much steadier than a ratio of two separate forks, where a noisy second on one side alone moved
 * the result by ±50 % on this two-core machine. With one peer (raw Netty) this is the plain
 * alternation raw, Redial, raw, Redial.
 *
 * <p>Iteration {@code i} (warm-up included, from 0) measures {@link #turn turn(first, peers, i)}.
 * A benchmark calls {@link #next()} once per iteration from a {@code @Setup(Level.Iteration)}
 * method; {@link JmhSuite} maps the measured iterations back with the same function. One cycle is
 * {@code 2 × peers} iterations.
 */
public final class Alternation {
  public static final String REDIAL = ClientKind.REDIAL;
  /** {@code first}: each peer's iteration comes before its Redial iteration. */
  public static final String PEERS = "peers";

  /**
   * What one iteration measures: {@code impl} (Redial or {@code peer}), in the pair of Redial
   * with {@code peer}.
   */
  public record Turn(String impl, String peer) {
    public boolean redial() {
      return impl.equals(REDIAL);
    }
  }

  private final String first;
  private final List<String> peers;
  private int iteration;

  public Alternation(String first, List<String> peers) {
    this.first = checkFirst(first);
    this.peers = checkPeers(peers);
  }

  /** The turn of the iteration starting now. */
  public Turn next() {
    return turn(first, peers, iteration++);
  }

  /** Iterations in one cycle: a pair per peer. */
  public static int cycle(List<String> peers) {
    return 2 * checkPeers(peers).size();
  }

  /** Which client iteration {@code index} (from 0, warm-up included) measures, in which pair. */
  public static Turn turn(String first, List<String> peers, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, but was " + index);
    }
    checkPeers(peers);
    int slot = index % (2 * peers.size());
    String peer = peers.get(slot / 2);
    boolean redialSlot = (slot % 2 == 0) == checkFirst(first).equals(REDIAL);
    return new Turn(redialSlot ? REDIAL : peer, peer);
  }

  private static String checkFirst(String first) {
    if (!REDIAL.equals(first) && !PEERS.equals(first)) {
      throw new IllegalArgumentException(
          "first must be 'redial' or 'peers', but was '" + first + "'");
    }
    return first;
  }

  private static List<String> checkPeers(List<String> peers) {
    if (peers.isEmpty() || peers.contains(REDIAL)) {
      throw new IllegalArgumentException(
          "peers must be one or more clients other than 'redial', but were " + peers);
    }
    return peers;
  }
}
