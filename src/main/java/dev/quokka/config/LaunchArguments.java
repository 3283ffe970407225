package dev.quokka.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * redis-server's command line: an optional redis.conf-syntax file first, then
 * {@code --name value...} pairs, later ones winning. The directives are kept here until
 * {@link ServerConfig} applies them over the {@link QuokkaConfig} values at start.
 */
public final class LaunchArguments {
    private static volatile Map<String, String> directives = Map.of();
    /** The {@code user} lines (ACL users defined in the config), each the words after "user". */
    private static volatile List<String> userLines = List.of();
    private static volatile List<String> renameLines = List.of();
    private static volatile Path configFile;

    private LaunchArguments() {
    }

    /** The directives of the command line (lower-case names), in order. */
    public static Map<String, String> directives() {
        return directives;
    }

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException with Redis-like wording when a line cannot be read
     */
    public static Map<String, String> parse(String[] args) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("--")) {
            String text = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
            int lineNo = 0;
            for (String line : text.split("\n")) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                List<String> words = words(t);
                if (words.isEmpty()) {
                    continue;
                }
                put(out, words, "line " + lineNo + " of " + args[0]);
            }
            i = 1;
        }
        // redis-server's rules: "--name" starts an option, whose next argument is its value even
        // when it starts with "--" ("--port --bla" sets port to "--bla"); "--name value" may also
        // come as one argument; further arguments not starting with "--" are more values.
        List<String> cur = null;
        boolean valueTaken = true;
        for (; i < args.length; i++) {
            String a = args[i];
            if (valueTaken && a.startsWith("--")) {
                if (cur != null) {
                    put(out, cur, "the command line");
                }
                cur = new ArrayList<>(words(a.substring(2)));
                if (cur.isEmpty()) {
                    cur.add("");
                }
                valueTaken = cur.size() > 1;
                boolean nextIsOption = i + 1 < args.length && args[i + 1].startsWith("--");
                if (!valueTaken && cur.get(0).equalsIgnoreCase("save") && (nextIsOption || i == args.length - 1)) {
                    cur.add(""); // "--save" alone or before another option: save "" (Redis 7.0.1's special case)
                    valueTaken = true;
                }
            } else {
                if (cur == null) {
                    // Words before any "--name" (redis-server ... loglevel verbose): Redis joins
                    // them into the line they spell, whose first word is the name.
                    cur = new ArrayList<>();
                }
                cur.add(a);
                valueTaken = true;
            }
        }
        if (cur != null) {
            put(out, cur, "the command line");
        }
        return out;
    }

    /** Keeps the parsed directives and the config file they came from (null: none), for start-up and CONFIG REWRITE. */
    public static void set(Map<String, String> parsed, Path file) {
        Map<String, String> d = new LinkedHashMap<>(parsed);
        String users = d.remove(USER);
        userLines = users == null ? List.of() : List.of(users.split("\n"));
        String renames = d.remove(RENAME_COMMAND);
        renameLines = renames == null ? List.of() : List.of(renames.split("\n"));
        directives = Map.copyOf(d);
        configFile = file == null ? null : file.toAbsolutePath();
    }

    /** The ACL users the config file and command line define ({@code user name rules...}), in order. */
    public static List<String> userLines() {
        return userLines;
    }

    /** The {@code rename-command old new} lines, each the words after the directive, in order. */
    public static List<String> renameLines() {
        return renameLines;
    }

    /** Directives that may repeat: each {@code user} line defines one ACL user ... */
    public static final String USER = "user";
    /** ... and each {@code rename-command} line renames (or, to "", removes) one command. */
    public static final String RENAME_COMMAND = "rename-command";

    /** The config file named first on the command line, or null. */
    public static Path configFileOf(String[] args) {
        return args.length > 0 && !args[0].startsWith("--") ? Path.of(args[0]) : null;
    }

    /** The config file the server was started with (CONFIG REWRITE's target), or null. */
    public static Path configFile() {
        return configFile;
    }

    private static void put(Map<String, String> out, List<String> words, String where) {
        String name = words.get(0).toLowerCase();
        Setting<?> setting = Settings.named(name);
        int values = words.size() - 1;
        // A single-valued setting takes exactly one argument (Redis's loadServerConfigFromString).
        if (setting != null && !setting.words() && values != 1) {
            throw new IllegalArgumentException(">>> '" + display(words) + "'\nwrong number of arguments");
        }
        if (setting != null && values == 0) {
            String err = setting.check("");
            if (err != null) {
                throw new IllegalArgumentException(">>> '" + display(words) + "'\n" + err);
            }
        }
        if (setting == Settings.REPLICAOF && !(values == 2 && validMasterPort(words))) {
            throw new IllegalArgumentException(">>> '" + display(words) + "'\n"
                + (values == 2 ? "Invalid master port" : "wrong number of arguments"));
        }
        // `--save ""` and `--save` both mean an empty value, as in redis-server.
        String value = String.join(" ", words.subList(1, words.size()));
        if (name.equals(RENAME_COMMAND) && values != 2) {
            throw new IllegalArgumentException(">>> '" + display(words) + "'\nBad directive or wrong number of arguments");
        }
        if (name.equals(USER) || name.equals(RENAME_COMMAND)) {
            // A repeatable directive: one line per occurrence, each word quoted so that words()
            // gives them back as they were (a password with a blank, a command renamed to "").
            StringBuilder line = new StringBuilder();
            for (String w : words.subList(1, words.size())) {
                line.append(line.length() > 0 ? " " : "").append('"')
                    .append(w.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            out.merge(name, line.toString(), (a, b) -> a + "\n" + b);
            return;
        }
        // Under the setting's own name, so that of a name and its alias (hash-max-ziplist-entries)
        // the later line wins, as in Redis.
        String key = setting != null ? setting.name() : name;
        out.remove(key);
        out.put(key, value);
    }

    /** The directive as redis-server echoes it: the name, then each value as sdscatrepr writes it. */
    private static String display(List<String> words) {
        StringBuilder b = new StringBuilder(words.get(0));
        for (String w : words.subList(1, words.size())) {
            b.append(' ').append(ConfigFile.quote(w));
        }
        return b.toString();
    }

    /** replicaof's port: "no one", or 0..65535 as C's strtol reads it with nothing left over. */
    private static boolean validMasterPort(List<String> words) {
        if (words.get(1).equalsIgnoreCase("no") && words.get(2).equalsIgnoreCase("one")) {
            return true;
        }
        String p = words.get(2);
        if (!p.matches("\\s*[+-]?[0-9]{1,10}")) {
            return false;
        }
        long v = Long.parseLong(p.strip().replace("+", ""));
        return v >= 0 && v <= 65535;
    }

    /** Splits a config line like Redis: blanks separate, quotes group. */
    public static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    cur.append(line.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
            }
        }
        if (any || cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }
}
