package dev.quokka.command;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * The arguments Redis hides from the slow log and MONITOR ({@code redactClientCommandArgument}):
 * AUTH's, HELLO's AUTH username and password, and the values of sensitive settings in CONFIG SET.
 */
final class Redaction {
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);
    private static final Set<String> SENSITIVE_CONFIGS = Set.of("requirepass", "masterauth", "masteruser");

    private Redaction() {
    }

    /** {@code argv} as the logs may show it: the same array when nothing is hidden, else a copy. */
    static byte[][] forLogs(CommandSpec spec, byte[][] argv, int argc) {
        byte[][] out = null;
        switch (spec.fullName()) {
            case "auth" -> {
                out = Arrays.copyOf(argv, argc);
                Arrays.fill(out, 1, argc, REDACTED);
            }
            case "hello" -> {
                for (int j = 2; j < argc; j++) {
                    if (argc - 1 - j >= 2 && is(argv[j], "auth")) {
                        out = out == null ? Arrays.copyOf(argv, argc) : out;
                        out[j + 1] = REDACTED;
                        out[j + 2] = REDACTED;
                        j += 2;
                    }
                }
            }
            case "config|set" -> {
                for (int j = 2; j + 1 < argc; j += 2) {
                    if (SENSITIVE_CONFIGS.contains(new String(argv[j], StandardCharsets.ISO_8859_1).toLowerCase())) {
                        out = out == null ? Arrays.copyOf(argv, argc) : out;
                        out[j + 1] = REDACTED;
                    }
                }
            }
            default -> {
            }
        }
        return out == null ? argv : out;
    }

    private static boolean is(byte[] a, String word) {
        return new String(a, StandardCharsets.ISO_8859_1).equalsIgnoreCase(word);
    }
}
