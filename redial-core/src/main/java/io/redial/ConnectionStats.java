package io.redial;

/**
 * An immutable snapshot of a connection's counters. The event loop publishes them as it goes;
 * {@code stats()} reads them from any thread without a lock and without waiting for the loop, and
 * never returns a torn snapshot (all fields are from one moment). Cheap enough for a metrics
 * registry to read every second per connection. Messages of typed connections count as frames.
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
