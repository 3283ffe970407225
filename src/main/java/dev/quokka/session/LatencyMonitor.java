package dev.quokka.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis's latency monitor ({@code latency.c}): per event ({@code command}, {@code fast-command},
 * {@code expire-cycle} ...), the last 160 one-second samples of latencies at or above
 * {@code latency-monitor-threshold} milliseconds (the highest of a second kept) and the all-time
 * maximum. Keyspace context only.
 */
public final class LatencyMonitor {
    static final int SAMPLES = 160;

    /** One event's history: a ring of (unix second, milliseconds) samples. */
    public static final class Series {
        final long[] time = new long[SAMPLES];
        final long[] latency = new long[SAMPLES];
        int idx;
        long max;

        /** The samples, oldest first: {time, latency} pairs. */
        public List<long[]> samples() {
            List<long[]> out = new ArrayList<>();
            for (int j = 0; j < SAMPLES; j++) {
                int i = (idx + j) % SAMPLES;
                if (time[i] != 0) {
                    out.add(new long[] {time[i], latency[i]});
                }
            }
            return out;
        }

        public long lastTime() {
            return time[(idx + SAMPLES - 1) % SAMPLES];
        }

        public long lastLatency() {
            return latency[(idx + SAMPLES - 1) % SAMPLES];
        }

        public long max() {
            return max;
        }
    }

    private final Map<String, Series> events = new LinkedHashMap<>();

    /** Redis's latencyAddSampleIfNeeded: records {@code millis} when the threshold is on and reached. */
    public void sample(String event, long millis, long threshold) {
        if (threshold > 0 && millis >= threshold) {
            add(event, millis, System.currentTimeMillis() / 1000);
        }
    }

    void add(String event, long millis, long now) {
        Series ts = events.computeIfAbsent(event, e -> new Series());
        if (millis > ts.max) {
            ts.max = millis;
        }
        int prev = (ts.idx + SAMPLES - 1) % SAMPLES;
        if (ts.time[prev] == now) {
            if (millis > ts.latency[prev]) {
                ts.latency[prev] = millis;
            }
            return;
        }
        ts.time[ts.idx] = now;
        ts.latency[ts.idx] = millis;
        ts.idx = (ts.idx + 1) % SAMPLES;
    }

    public Map<String, Series> events() {
        return events;
    }

    /** Drops one event's history (all when {@code event} is null); returns how many were dropped. */
    public int reset(String event) {
        if (event == null) {
            int n = events.size();
            events.clear();
            return n;
        }
        return events.remove(event) != null ? 1 : 0;
    }
}
