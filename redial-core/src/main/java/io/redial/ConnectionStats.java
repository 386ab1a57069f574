package io.redial;

/**
 * An immutable snapshot of a connection's counters, taken on the connection's event loop so that
 * all fields are consistent with each other.
 *
 * @param attempts connect attempts started (one per channel opened)
 * @param connects attempts that reached CONNECTED
 * @param disconnects times a CONNECTED channel was lost (not counting {@code close()})
 * @param framesSent frames whose bytes were written to a live socket
 * @param framesReceived frames decoded from the peer (heartbeat replies included)
 * @param bytesSent payload bytes of {@code framesSent}
 * @param bytesReceived payload bytes of {@code framesReceived}
 * @param queuedFrames frames waiting in the offline queue now
 * @param queuedBytes payload bytes waiting in the offline queue now
 */
public record ConnectionStats(
    long attempts,
    long connects,
    long disconnects,
    long framesSent,
    long framesReceived,
    long bytesSent,
    long bytesReceived,
    int queuedFrames,
    long queuedBytes) {}
