package io.skiplinobridge.salesforce;

import java.time.Instant;

/**
 * What one poll (or full re-read) did.
 *
 * @param kind          {@code poll} or {@code full-read}
 * @param result        how it ended
 * @param changesFrom   lower bound of the changes query (stored watermark minus the overlap); null for a full read
 * @param pages         pages fetched (query, queryAll and their queryMore)
 * @param changed       live records read
 * @param deleted       deleted records read
 * @param newEvents     changes the inbox had not seen before
 * @param duplicates    changes the inbox already held (re-read in the overlap window)
 * @param withoutKey    records skipped because their external id field was empty
 * @param largestPage   most records held in memory at once (one page)
 * @param error         why it failed, null unless {@code result} is FAILED or API_LIMIT; never a secret
 */
public record PollRun(String kind, Result result, Instant startedAt, Instant endedAt, Instant changesFrom, int pages,
                      int changed, int deleted, int newEvents, int duplicates, int withoutKey, int largestPage,
                      String error) {

    public enum Result {
        /** read everything up to now; watermarks advanced */
        SUCCESS,
        /** stopped by a failure; the next firing continues from the stored watermarks */
        FAILED,
        /** Salesforce answered REQUEST_LIMIT_EXCEEDED; watermarks kept, polls held for a while */
        API_LIMIT,
        /** nothing done: an earlier REQUEST_LIMIT_EXCEEDED still holds polls */
        HELD_FOR_API_LIMIT,
        /** nothing done (or stopped between pages): an operator paused the flow */
        PAUSED,
        /** nothing done: another poll of this instance is running */
        BUSY
    }

    boolean didWork() {
        return result != Result.BUSY && result != Result.PAUSED && result != Result.HELD_FOR_API_LIMIT;
    }
}
