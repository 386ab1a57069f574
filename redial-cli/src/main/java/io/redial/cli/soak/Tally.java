package io.redial.cli.soak;

/**
 * What the clients saw: one connection's counts, or a sum.
 *
 * @param sent distinct frames sent
 * @param echoed distinct frames echoed back
 * @param unechoed frames sent and not echoed (at the end: lost), given-up frames included
 * @param duplicated echoes of one (sequence, attempt) twice, or of a frame sent once
 * @param outOfOrder first-attempt echoes not in increasing order
 * @param corrupt echoes that were not soak frames, named another connection, or a frame never sent
 * @param resent re-sends by the application (the repair TCP cannot do)
 * @param sendFailures sends Redial failed (it said so: not silent), re-sent
 * @param staleEvents listener events of a generation older than one already seen
 * @param reconnects connects after the first
 */
record Tally(long sent, long echoed, long unechoed, long duplicated, long outOfOrder, long corrupt,
    long resent, long sendFailures, long staleEvents, long reconnects) {
  static final Tally ZERO = new Tally(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  Tally plus(Tally o) {
    return new Tally(sent + o.sent, echoed + o.echoed, unechoed + o.unechoed,
        duplicated + o.duplicated, outOfOrder + o.outOfOrder, corrupt + o.corrupt,
        resent + o.resent, sendFailures + o.sendFailures, staleEvents + o.staleEvents,
        reconnects + o.reconnects);
  }
}
