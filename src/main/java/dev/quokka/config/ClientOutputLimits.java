package dev.quokka.config;

import java.util.Locale;

/**
 * The value of {@code client-output-buffer-limit}: for each class of client (normal, replica,
 * pubsub) a hard limit in bytes, a soft limit in bytes and the seconds the soft limit may be
 * exceeded (0 means no limit). The syntax and error texts are redis-server 7.0's
 * ({@code setConfigClientOutputBufferLimitOption}): {@code <class> <hard> <soft> <seconds>}
 * groups, memory values as {@link Memory} reads them, and a CONFIG SET changes only the classes
 * it names.
 */
public record ClientOutputLimits(Limit normal, Limit replica, Limit pubsub) {
    /** The limit of one class; {@code hard} and {@code soft} in bytes, 0 for none. */
    public record Limit(long hard, long soft, long softSeconds) {
        /** Whether {@code used} bytes of pending output exceed the hard limit. */
        public boolean overHard(long used) {
            return hard > 0 && used >= hard;
        }

        /** Whether {@code used} bytes of pending output reach the soft limit. */
        public boolean overSoft(long used) {
            return soft > 0 && used >= soft;
        }
    }

    /** The class names as CONFIG GET writes them, in its order. */
    private static final String[] CLASSES = {"normal", "slave", "pubsub"};

    /** Redis's error for a malformed value, or null when {@code value} is valid. */
    static String check(String value) {
        String[] w = words(value);
        if (w.length % 4 != 0) {
            return "Wrong number of arguments in buffer limit configuration.";
        }
        for (int i = 0; i < w.length; i += 4) {
            if (classIndex(w[i]) < 0) {
                return "Invalid client class specified in buffer limit configuration.";
            }
            long hard = Memory.parse(w[i + 1]);
            long soft = Memory.parse(w[i + 2]);
            long seconds = seconds(w[i + 3]);
            if (hard < 0 || soft < 0 || seconds < 0) {
                return "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
            }
        }
        return null;
    }

    /** {@code value} applied over {@code current} (both valid), in CONFIG GET's canonical form. */
    static String merge(String current, String value) {
        String[] now = words(current);
        long[] limits = new long[12];
        for (int i = 0; i < now.length; i += 4) {
            fill(limits, now, i);
        }
        String[] w = words(value);
        for (int i = 0; i < w.length; i += 4) {
            fill(limits, w, i);
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 3; k++) {
            if (k > 0) {
                sb.append(' ');
            }
            sb.append(CLASSES[k]).append(' ').append(limits[k * 3]).append(' ').append(limits[k * 3 + 1]).append(' ')
                .append(limits[k * 3 + 2]);
        }
        return sb.toString();
    }

    /** The typed value of a canonical one. */
    static ClientOutputLimits parse(String canonical) {
        String[] w = words(canonical);
        long[] limits = new long[9];
        for (int i = 0; i < w.length; i += 4) {
            fill(limits, w, i);
        }
        return new ClientOutputLimits(new Limit(limits[0], limits[1], limits[2]),
            new Limit(limits[3], limits[4], limits[5]), new Limit(limits[6], limits[7], limits[8]));
    }

    private static void fill(long[] limits, String[] w, int i) {
        int k = classIndex(w[i]) * 3;
        limits[k] = Memory.parse(w[i + 1]);
        limits[k + 1] = Memory.parse(w[i + 2]);
        limits[k + 2] = seconds(w[i + 3]);
    }

    private static int classIndex(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "normal" -> 0;
            case "slave", "replica" -> 1;
            case "pubsub" -> 2;
            default -> -1;
        };
    }

    private static long seconds(String s) {
        try {
            long n = Long.parseLong(s);
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String[] words(String value) {
        String t = value.trim();
        return t.isEmpty() ? new String[0] : t.split("\\s+");
    }
}
