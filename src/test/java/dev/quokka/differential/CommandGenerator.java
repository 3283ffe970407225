package dev.quokka.differential;

import dev.quokka.differential.CommandTable.Arg;
import dev.quokka.differential.CommandTable.Command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded random commands drawn from the command table's argument trees: optional arguments
 * present or not, repeated arguments one to four times, {@code oneof} alternatives, values
 * chosen by the argument's type and name (a {@code timeout} is short, an expiry long enough not
 * to race, a {@code numkeys} counts the keys that follow), keys from small per-family pools that
 * other families also touch (wrong types), and a share of mutations: junk, binary, empty and
 * huge values, a missing or extra argument, odd letter case, unknown commands.
 */
final class CommandGenerator {
    /** A generated command: its arguments (name words first) and the keys among them. */
    record Generated(Command command, List<byte[]> args, List<byte[]> keys) {
        String show() {
            StringBuilder s = new StringBuilder();
            for (byte[] a : args) {
                if (!s.isEmpty()) {
                    s.append(' ');
                }
                s.append(quote(a));
            }
            return s.toString();
        }
    }

    private static final String[] VALUES = {"a", "b", "c", "d", "e", "0", "1", "2", "-1", "10", "3.5", "", "foo bar",
        "hello", "1e3", "inf", "-inf", "9223372036854775807", "-9223372036854775808", "12345678901234567890", "0x10",
        "\u0000\u00ff", "x y z", "a\r\nb"};
    private static final String[] INTEGERS = {"0", "1", "2", "3", "-1", "-2", "5", "10", "100", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "abc", "", "1.5", " 1", "+1", "0x10", "007", "-0", "1e3"};
    private static final String[] DOUBLES = {"0", "1", "1.5", "-2", "3", "10", "inf", "-inf", "+inf", "nan", "abc", "",
        "1e3", "0x10", "1e400", " 1", "1.5e-3", "-0", "0.1", "1e-400", "2.5"};
    private static final String[] RANGE_DOUBLES = {"(1", "(-inf", "-inf", "+inf", "(+inf", "(abc", "(", "1", "2",
        "(0", "0", "5", "-1"};
    private static final String[] LEX = {"-", "+", "[a", "(a", "[c", "(d", "[", "(", "a", "", "[\u00ff"};
    private static final String[] PATTERNS = {"*", "a*", "*:1", "?", "[a-c]*", "\\", "*[", "nosort", "#", "h_*->f",
        "list:*", "string:?", "", "*->"};
    private static final String[] ENCODINGS = {"u8", "i8", "i16", "u1", "i64", "u63", "u64", "i65", "x8", "i0"};
    private static final String[] GEO = {"13.361389", "38.115556", "15.087269", "37.502669", "-180", "180", "0",
        "85.05112878", "-85.05112879", "200", "91", "abc", "nan"};
    private static final String[] DISTANCES = {"100", "200000", "0", "-1", "1.5", "abc", "1000000000"};
    private static final String[] CONFIG_NAMES = {"maxmemory", "list-max-listpack-size", "hash-max-listpack-entries",
        "zset-max-listpack-entries", "set-max-intset-entries", "notify-keyspace-events", "foo", "*entries*",
        "list-compress-depth", "lua-time-limit"};
    private static final String[] JUNK = {"", "\u0000", "\u00ff\u00fe", "\u00e9", "-9223372036854775809", "1e309",
        " ", "\r\n", "nan", "(", "[", "-", "18446744073709551616", "0.000000000000000000001"};
    private static final String[] UNKNOWN = {"FOO", "GET\u0000", "\u00ff\u00fe", "", "xyzzy", "SET\u00e9"};

    private final Random random;
    private final List<String> families;
    private final long now = System.currentTimeMillis();

    CommandGenerator(long seed, List<String> families) {
        this.random = new Random(seed);
        this.families = families;
    }

    Random random() {
        return random;
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private String pick(String[] pool) {
        return pool[random.nextInt(pool.length)];
    }

    /** A command with arguments drawn from its table entry, sometimes mutated. */
    Generated generate(Command command) {
        Builder b = new Builder(command);
        for (String w : command.words()) {
            b.out.add(bytes(chance(0.05) ? mixCase(w) : w));
        }
        b.list(command.args());
        if (chance(0.1)) {
            mutate(b, command.blocks());
        }
        return new Generated(command, b.out, b.keys);
    }

    /** An unknown command with arguments of every kind (the error quotes them). */
    Generated unknown(Command placeholder) {
        List<byte[]> args = new ArrayList<>();
        args.add(bytes(pick(UNKNOWN)));
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            args.add(bytes(chance(0.2) ? "x".repeat(200) : pick(JUNK) + pick(VALUES)));
        }
        return new Generated(placeholder, args, List.of());
    }

    private static final String[] INLINE_WORDS = {"PING", "ECHO", "SET", "GET", "k", "v", "\"a b\"", "'c d'",
        "\"\\x41\\x4a\"", "\"\\n\\t\\\\\"", "\"abc", "'abc", "\"a\"b", "''", "\"\"", "\\x41", "\"x\\\"y\"",
        "'it\\'s'", "SELECT", "1", "\u00ff\u00fe", "DEL", "EXISTS", "*", "$3", "-1", "\t", "  "};
    private static final String[] MULTIBULK_COUNTS = {"1", "2", "3", "0", "-1", "-5", "abc", "", "1048577",
        "2147483648", " 2", "+1", "01"};

    /**
     * A raw request for the protocol family: inline lines (quotes, escapes, unbalanced quotes),
     * multibulk headers and bulk lengths right, wrong, negative, huge or not numbers, valid
     * commands between them, and an inline PING at the end.
     */
    byte[] protocolCase() {
        StringBuilder s = new StringBuilder();
        int parts = 1 + random.nextInt(3);
        for (int p = 0; p < parts; p++) {
            switch (random.nextInt(3)) {
                case 0 -> {
                    int n = 1 + random.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        s.append(i == 0 ? "" : chance(0.2) ? "  " : " ").append(pick(INLINE_WORDS));
                    }
                    s.append(chance(0.8) ? "\r\n" : "\n");
                }
                case 1 -> {
                    String count = chance(0.6) ? Integer.toString(1 + random.nextInt(3)) : pick(MULTIBULK_COUNTS);
                    s.append('*').append(count).append("\r\n");
                    int declared;
                    try {
                        declared = Math.min(Integer.parseInt(count.strip()), 3);
                    } catch (NumberFormatException e) {
                        declared = 1;
                    }
                    for (int i = 0; i < declared; i++) {
                        String data = i == 0 ? pick(new String[]{"PING", "ECHO", "GET", "FOO"}) : pick(VALUES);
                        String len = chance(0.8) ? Integer.toString(data.length())
                            : pick(new String[]{"-1", "abc", "", "536870913", Integer.toString(data.length() + 1), "0"});
                        s.append(chance(0.05) ? '%' : '$').append(len).append("\r\n").append(data).append("\r\n");
                    }
                }
                default -> s.append(chance(0.5) ? "*1\r\n$4\r\nPING\r\n" : "*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n");
            }
        }
        return bytes(s.append("PING\r\n").toString());
    }

    /** A key of this family's pool, now and then another family's (wrong type) or an odd name. */
    byte[] key(String family) {
        double p = random.nextDouble();
        if (p < 0.03) {
            return bytes(pick(new String[]{"", "\u0000k\u00ff", "k".repeat(300), "key with spaces"}));
        }
        // The generic commands (RENAME, COPY, EXPIRE ...) act on keys of every type.
        String f = p < 0.85 && !family.equals("generic") ? family : pick(families);
        return bytes(f + ":" + random.nextInt(4));
    }

    /** One mutation; a blocking command only loses arguments (an added "0" could be a timeout that never ends). */
    private void mutate(Builder b, boolean blocks) {
        int words = b.command.words().size();
        int roll = blocks ? (chance(0.5) ? 0 : 4) : random.nextInt(5);
        if (roll == 0 && b.out.size() > words) {
            b.out.remove(b.out.size() - 1);
        } else if (roll == 1) {
            b.out.add(bytes(chance(0.5) ? pick(JUNK) : pick(VALUES)));
        } else if (roll == 2 && b.out.size() > words) {
            b.out.set(words + random.nextInt(b.out.size() - words), bytes(pick(JUNK)));
        } else if (roll == 3 && b.out.size() > words) {
            b.out.set(words + random.nextInt(b.out.size() - words), bytes("x".repeat(150 + random.nextInt(100))));
        } else {
            while (b.out.size() > words) {
                b.out.remove(b.out.size() - 1);
            }
        }
    }

    private final class Builder {
        final Command command;
        final List<byte[]> out = new ArrayList<>();
        final List<byte[]> keys = new ArrayList<>();

        Builder(Command command) {
            this.command = command;
        }

        void list(List<Arg> args) {
            int numkeysAt = -1;
            int keysBefore = 0;
            for (Arg a : args) {
                if (a.name().equals("numkeys") && a.type().equals("integer")) {
                    numkeysAt = out.size();
                    keysBefore = keys.size();
                    out.add(bytes("0"));
                    continue;
                }
                arg(a, false);
                if (numkeysAt >= 0 && a.type().equals("key")) {
                    int n = keys.size() - keysBefore;
                    out.set(numkeysAt, bytes(chance(0.9) ? Integer.toString(n) : pick(INTEGERS)));
                    numkeysAt = -1;
                }
            }
        }

        void arg(Arg a, boolean required) {
            if (a.optional() && !required && chance(0.5)) {
                return;
            }
            int times = a.multiple() ? 1 + random.nextInt(chance(0.1) ? 8 : 3) : 1;
            for (int i = 0; i < times; i++) {
                if (a.token() != null && (i == 0 || a.multipleToken())) {
                    String token = chance(0.05) ? a.token().toLowerCase(Locale.ROOT) : a.token();
                    // A NUL after a token: Redis compares options as C strings, so it still matches.
                    out.add(bytes(chance(0.02) ? token + "\u0000z" : token));
                }
                value(a);
            }
        }

        void value(Arg a) {
            switch (a.type()) {
                case "key" -> {
                    byte[] k = key(command.family());
                    out.add(k);
                    keys.add(k);
                }
                case "oneof" -> arg(pick(a.args()), true);
                case "block" -> list(a.args());
                case "pure-token" -> {
                }
                case "integer" -> out.add(bytes(integer(a.name())));
                case "double" -> out.add(bytes(dbl(a.name())));
                case "unix-time" -> out.add(bytes(unixTime(a.name())));
                case "pattern" -> out.add(bytes(pick(PATTERNS)));
                default -> out.add(bytes(string(a.name())));
            }
        }

        private String integer(String name) {
            switch (name) {
                case "seconds":
                    return chance(0.8) ? Integer.toString(100 + random.nextInt(10_000)) : pick(new String[]{"0", "-1",
                        "abc", "9223372036854775807", "-9223372036854775808", "4611686018427387904"});
                case "milliseconds":
                    return chance(0.8) ? Integer.toString(100_000 + random.nextInt(10_000_000)) : pick(new String[]{"0",
                        "-5", "abc", "9223372036854775807", "-9223372036854775808"});
                case "timeout":
                    return pick(new String[]{"10", "20", "-1", "abc"});
                case "index", "db", "destination-db", "index1", "index2":
                    return chance(0.9) ? Integer.toString(random.nextInt(4) - (chance(0.2) ? 2 : 0)) : pick(INTEGERS);
                case "offset":
                    return chance(0.85) ? Integer.toString(random.nextInt(chance(0.5) ? 64 : 10_000))
                        : pick(new String[]{"-1", "4294967296", "abc", "#3", "#-1"});
                default:
                    return chance(0.7) ? Integer.toString(random.nextInt(13) - 3) : pick(INTEGERS);
            }
        }

        private String dbl(String name) {
            switch (name) {
                case "timeout":
                    return pick(new String[]{"0.01", "0.02", "0.005", "-1", "abc", "0x0.001"});
                case "min", "max":
                    return chance(0.5) ? pick(RANGE_DOUBLES) : pick(DOUBLES);
                case "longitude", "latitude":
                    return pick(GEO);
                case "radius", "width", "height":
                    return pick(DISTANCES);
                default:
                    return chance(0.6) ? Integer.toString(random.nextInt(10) - 3) : pick(DOUBLES);
            }
        }

        private String unixTime(String name) {
            long base = name.contains("milli") ? now : now / 1000;
            long span = name.contains("milli") ? 100_000_000L : 100_000L;
            return switch (random.nextInt(6)) {
                case 0 -> "1";
                case 1 -> "-1";
                case 2 -> pick(new String[]{"abc", "0", "9223372036854775807"});
                default -> Long.toString(base + span + random.nextInt(1_000_000));
            };
        }

        private String string(String name) {
            return switch (name) {
                case "min", "max" -> pick(LEX);
                case "start", "stop" -> chance(0.5) ? Integer.toString(random.nextInt(8) - 3)
                    : pick(chance(0.5) ? LEX : RANGE_DOUBLES);
                case "encoding" -> pick(ENCODINGS);
                case "parameter" -> pick(CONFIG_NAMES);
                case "operation" -> pick(new String[]{"AND", "OR", "XOR", "NOT", "and", "FOO"}); // BITOP
                case "subcommand" -> pick(new String[]{"GETREG", "DECODE", "ENCODING", "TODENSE", "FOO"}); // PFDEBUG
                default -> chance(0.02) ? "v".repeat(random.nextInt(3000)) : pick(VALUES);
            };
        }
    }

    private String mixCase(String w) {
        StringBuilder s = new StringBuilder(w.length());
        for (char c : w.toCharArray()) {
            s.append(chance(0.5) ? Character.toLowerCase(c) : c);
        }
        return s.toString();
    }

    /** Latin-1 for every char: each char is one byte, so the pools can hold any byte. */
    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String quote(byte[] a) {
        StringBuilder s = new StringBuilder("\"");
        int n = Math.min(a.length, 60);
        for (int i = 0; i < n; i++) {
            int c = a[i] & 0xff;
            if (c == '"' || c == '\\') {
                s.append('\\').append((char) c);
            } else if (c < 32 || c > 126) {
                s.append(String.format("\\x%02x", c));
            } else {
                s.append((char) c);
            }
        }
        if (a.length > n) {
            s.append("…(").append(a.length).append(" bytes)");
        }
        return s.append('"').toString();
    }
}
