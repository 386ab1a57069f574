package io.redial.internal.agent;

import java.util.Map;

/**
 * Counts at JVM exit.
 *
 * @param counts how often each pattern was seen (all patterns present)
 * @param suppressed findings counted but not printed in full (over the per-pattern cap)
 * @param internalErrors how many probes failed and were switched off
 * @param socketsWatched how many sockets the agent followed
 * @param stacksNotSampled stacks the agent would have recorded but for its {@code stackRate}
 */
record Summary(Map<Pattern, Long> counts, long suppressed, long internalErrors,
    long socketsWatched, long stacksNotSampled) {
  Summary {
    counts = Map.copyOf(counts);
  }

  long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
