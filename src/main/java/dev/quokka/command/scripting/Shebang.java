package dev.quokka.command.scripting;

import java.nio.charset.StandardCharsets;

/** An EVAL script's {@code #!lua flags=...} first line (Redis's evalExtractShebangFlags). */
final class Shebang {
    private Shebang() {
    }

    /**
     * Reads the shebang of {@code body} into {@code flags[0]} ({@link Scripting#EVAL_COMPAT_MODE}
     * without one) and returns where the code starts (at the shebang's line feed, so that line
     * numbers stay the user's). Throws the reply's text on a bad shebang.
     */
    static int parse(byte[] body, int[] flags) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            flags[0] = Scripting.EVAL_COMPAT_MODE;
            return 0;
        }
        int end = 0;
        while (end < body.length && body[end] != '\n') {
            end++;
        }
        if (end == body.length) {
            throw new Scripting.ScriptError("ERR Invalid script shebang");
        }
        String line = new String(body, 0, end, StandardCharsets.ISO_8859_1);
        String[] parts = line.trim().split("[ \t\r]+");
        if (parts.length == 0 || parts[0].isEmpty()) {
            throw new Scripting.ScriptError("ERR Invalid engine in script shebang");
        }
        if (!parts[0].equals("#!lua")) {
            throw new Scripting.ScriptError("ERR Unexpected engine in script shebang: " + parts[0]);
        }
        int f = 0;
        for (int j = 1; j < parts.length; j++) {
            if (parts[j].startsWith("flags=")) {
                String list = parts[j].substring(6);
                for (String name : list.isEmpty() ? new String[0] : list.split(",", -1)) {
                    int bit = flagBit(name);
                    if (bit == 0) {
                        throw new Scripting.ScriptError("ERR Unexpected flag in script shebang: " + name);
                    }
                    f |= bit;
                }
            } else {
                throw new Scripting.ScriptError("ERR Unknown lua shebang option: " + parts[j]);
            }
        }
        flags[0] = f;
        return end;
    }

    /** A flag's bit by its exact name, or 0. */
    static int flagBit(String name) {
        for (int i = 0; i < Scripting.FLAG_NAMES.length; i++) {
            if (name.equals(Scripting.FLAG_NAMES[i])) {
                return 1 << i;
            }
        }
        return 0;
    }
}
