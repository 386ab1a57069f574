package io.redial.cli.soak;

/**
 * What the request mode's clients saw ({@link RequestClient}), counted after everything closed:
 * one connection's counts, or a sum.
 *
 * @param sent requests made, re-sent ones included
 * @param resent requests made again, as new requests, after theirs failed with CONNECTION_LOST
 * @param replies requests completed with their own reply
 * @param wrongReplies replies whose content was not their request's (a HELLO's included), and
 *     replies handed to no request while theirs was waiting
 * @param hung requests whose future had not completed once everything was closed
 * @param unexplained requests that failed other than with one of the clear errors below
 * @param connectionLost failed with CONNECTION_LOST (written to a channel that died)
 * @param requestTimeout failed with REQUEST_TIMEOUT
 * @param queueFull failed with QUEUE_FULL
 * @param queueTimeout failed with QUEUE_TIMEOUT
 * @param connectionClosed failed with CONNECTION_CLOSED once the soak was closing
 * @param handshakes HELLOs answered with their echo (one per channel that got that far)
 * @param notHandshaken CONNECTED events of a generation whose HELLO had not been answered
 * @param lateReplies replies that came after their request had failed: handed to no request
 * @param example the first unexplained failure, or null
 */
record RequestTally(long sent, long resent, long replies, long wrongReplies, long hung,
    long unexplained, long connectionLost, long requestTimeout, long queueFull,
    long queueTimeout, long connectionClosed, long handshakes, long notHandshaken,
    long lateReplies, String example) {
  static final RequestTally ZERO =
      new RequestTally(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null);

  RequestTally plus(RequestTally o) {
    return new RequestTally(sent + o.sent, resent + o.resent, replies + o.replies,
        wrongReplies + o.wrongReplies, hung + o.hung, unexplained + o.unexplained,
        connectionLost + o.connectionLost, requestTimeout + o.requestTimeout,
        queueFull + o.queueFull, queueTimeout + o.queueTimeout,
        connectionClosed + o.connectionClosed, handshakes + o.handshakes,
        notHandshaken + o.notHandshaken, lateReplies + o.lateReplies,
        example != null ? example : o.example);
  }

  /** Requests that failed with a clear error. */
  long failed() {
    return connectionLost + requestTimeout + queueFull + queueTimeout + connectionClosed;
  }
}
