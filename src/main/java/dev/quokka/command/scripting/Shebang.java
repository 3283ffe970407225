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
        String[] parts = splitArgs(line);
        if (parts == null || parts.length == 0) {
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
                    int bit = flagBit(name, false);
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

    /**
     * Redis's sdssplitargs: words separated by spaces, where {@code "..."} (with C escapes and
     * {@code \xHH}) and {@code '...'} quote; null when a quote is not closed or not followed by a space.
     */
    static String[] splitArgs(String line) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return out.toArray(new String[0]);
            }
            StringBuilder cur = new StringBuilder();
            boolean inq = false;
            boolean insq = false;
            while (true) {
                if (i >= n) {
                    if (inq || insq) {
                        return null;
                    }
                    break;
                }
                char c = line.charAt(i);
                if (inq) {
                    if (c == '\\' && i + 3 < n && line.charAt(i + 1) == 'x' && isHex(line.charAt(i + 2)) && isHex(line.charAt(i + 3))) {
                        cur.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
                        i += 3;
                    } else if (c == '\\' && i + 1 < n) {
                        i++;
                        char e = line.charAt(i);
                        cur.append(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> (char) 7;
                            default -> e;
                        });
                    } else if (c == '"') {
                        if (i + 1 < n && !Character.isWhitespace(line.charAt(i + 1))) {
                            return null;
                        }
                        inq = false;
                        i++;
                        break;
                    } else {
                        cur.append(c);
                    }
                } else if (insq) {
                    if (c == '\\' && i + 1 < n && line.charAt(i + 1) == '\'') {
                        i++;
                        cur.append('\'');
                    } else if (c == '\'') {
                        if (i + 1 < n && !Character.isWhitespace(line.charAt(i + 1))) {
                            return null;
                        }
                        insq = false;
                        i++;
                        break;
                    } else {
                        cur.append(c);
                    }
                } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0) {
                    i++;
                    break;
                } else if (c == '"') {
                    inq = true;
                } else if (c == '\'') {
                    insq = true;
                } else {
                    cur.append(c);
                }
                i++;
            }
            out.add(cur.toString());
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    /** A flag's bit by its name (a shebang's exactly, a function's ignoring case, as Redis compares them), or 0. */
    static int flagBit(String name, boolean ignoreCase) {
        for (int i = 0; i < Scripting.FLAG_NAMES.length; i++) {
            String flag = Scripting.FLAG_NAMES[i];
            if (flag != null && (ignoreCase ? name.equalsIgnoreCase(flag) : name.equals(flag))) {
                return 1 << i;
            }
        }
        return 0;
    }
}
