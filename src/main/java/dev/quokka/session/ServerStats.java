package dev.quokka.session;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server-wide counters INFO prints and the metrics endpoint reads: connections, network
 * bytes, commands and error replies. Only the keyspace context writes them; metrics read them
 * from other threads (racy reads of monotonic counters are fine for gauges).
 */
public final class ServerStats {
    private long totalConnections;
    private long rejectedConnections;
    private long netInputBytes;
    private long netOutputBytes;
    private long readsProcessed;
    private long writesProcessed;
    private long totalCommands;
    private long totalErrorReplies;
    private long unexpectedErrorReplies;
    private final Map<String, long[]> errorStats = new LinkedHashMap<>();
    /** The text {@link #errorReplied} last counted, by identity, and its code's counter. */
    private String lastError;
    private long[] lastErrorCount;
    private final InstantaneousMetrics instantaneous = new InstantaneousMetrics();

    public void connectionAccepted() {
        totalConnections++;
    }

    public void connectionRejected() {
        rejectedConnections++;
    }

    /** One read of {@code bytes} from a client. */
    public void read(long bytes) {
        netInputBytes += bytes;
        readsProcessed++;
    }

    /** One write of {@code bytes} of replies to a client. */
    public void wrote(long bytes) {
        netOutputBytes += bytes;
        writesProcessed++;
    }

    /** Bytes written outside a read batch (pub/sub messages), not counted as a processed write. */
    public void wroteOutOfBand(long bytes) {
        netOutputBytes += bytes;
    }

    public void commandExecuted() {
        totalCommands++;
    }

    /** Counts an error reply under its code (the first word), for INFO errorstats. */
    public void errorReplied(String text) {
        totalErrorReplies++;
        // The same error again (a flood of NOAUTH, a pipeline of WRONGTYPE): its counter is at hand.
        if (text != lastError) {
            int sp = text.indexOf(' ');
            String code = sp < 0 ? text : text.substring(0, sp);
            lastErrorCount = errorStats.computeIfAbsent(code, k -> new long[1]);
            lastError = text;
        }
        lastErrorCount[0]++;
    }

    public long totalConnections() {
        return totalConnections;
    }

    public long rejectedConnections() {
        return rejectedConnections;
    }

    public long netInputBytes() {
        return netInputBytes;
    }

    public long netOutputBytes() {
        return netOutputBytes;
    }

    public long readsProcessed() {
        return readsProcessed;
    }

    public long writesProcessed() {
        return writesProcessed;
    }

    public long totalCommands() {
        return totalCommands;
    }

    /** An error replied to the primary's stream on a replica (Redis's stat_unexpected_error_replies). */
    public void unexpectedErrorReplied() {
        unexpectedErrorReplies++;
    }

    public long unexpectedErrorReplies() {
        return unexpectedErrorReplies;
    }

    public long totalErrorReplies() {
        return totalErrorReplies;
    }

    public Map<String, long[]> errorStats() {
        return errorStats;
    }

    public InstantaneousMetrics instantaneous() {
        return instantaneous;
    }

    /** Samples the instantaneous metrics (every {@link InstantaneousMetrics#PERIOD_MS}). */
    public void sampleInstantaneous() {
        instantaneous.sample(totalCommands, netInputBytes, netOutputBytes);
    }

    /** CONFIG RESETSTAT's share of these counters. */
    public void reset() {
        totalCommands = 0;
        totalErrorReplies = 0;
        unexpectedErrorReplies = 0;
        errorStats.clear();
        lastError = null;
        totalConnections = 0;
        rejectedConnections = 0;
        netInputBytes = 0;
        netOutputBytes = 0;
        readsProcessed = 0;
        writesProcessed = 0;
    }
}
