package dev.quokka.command;

import dev.quokka.protocol.RespWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * The argument tree of COMMAND DOCS, built from a command's syntax line, e.g.
 * {@code key value [NX|XX] [GET] [EX seconds|PX milliseconds|KEEPTTL]}.
 *
 * <p>Grammar: words separated by blanks; {@code [...]} optional; {@code (...)} a group;
 * {@code a|b} alternatives; a trailing {@code ...} repeats; UPPER-CASE words are tokens; a
 * token followed by one argument in a group becomes that argument with the token (Redis's
 * {@code EX seconds}); {@code name:type} sets a type, otherwise it is inferred from the name.
 */
public final class ArgumentDoc {
    final String name;
    final String type;
    final String token;
    final List<ArgumentDoc> children;
    boolean optional;
    boolean multiple;

    private ArgumentDoc(String name, String type, String token, List<ArgumentDoc> children) {
        this.name = name;
        this.type = type;
        this.token = token;
        this.children = children;
    }

    /** Parses a syntax line into its top-level arguments. */
    public static List<ArgumentDoc> parse(String syntax) {
        Parser p = new Parser(syntax);
        if (p.s.isEmpty()) {
            return List.of();
        }
        ArgumentDoc top = p.alternatives();
        if (p.pos < p.s.length()) {
            throw new IllegalArgumentException("bad syntax line at " + p.pos + ": " + syntax);
        }
        // A plain sequence is the argument list itself; anything else (one argument, a oneof) is one argument.
        return top.type.equals("block") && !top.optional && !top.multiple ? top.children : List.of(top);
    }

    /** Writes this argument as a COMMAND DOCS map. */
    public void write(RespWriter w) {
        int fields = 2 + (token != null ? 1 : 0) + (optional || multiple ? 1 : 0) + (children != null ? 1 : 0);
        w.map(fields);
        w.bulk("name");
        w.bulk(name);
        w.bulk("type");
        w.bulk(type);
        if (token != null) {
            w.bulk("token");
            w.bulk(token);
        }
        if (optional || multiple) {
            w.bulk("flags");
            w.set((optional ? 1 : 0) + (multiple ? 1 : 0));
            if (optional) {
                w.simple("optional");
            }
            if (multiple) {
                w.simple("multiple");
            }
        }
        if (children != null) {
            w.bulk("arguments");
            w.array(children.size());
            for (ArgumentDoc c : children) {
                c.write(w);
            }
        }
    }

    /** The argument types redis-cli knows (other types make it print a warning). */
    private static final List<String> TYPES = List.of("key", "string", "integer", "double", "pattern", "unix-time");

    static String inferType(String name) {
        if (name.equals("key") || name.endsWith("key") || name.equals("source") || name.equals("destination")) {
            return "key";
        }
        if (name.equals("pattern")) {
            return "pattern";
        }
        if (name.startsWith("unix-time")) {
            return "unix-time";
        }
        switch (name) {
            case "seconds", "milliseconds", "count", "offset", "start", "end", "index", "db", "increment",
                "decrement", "len", "id", "destination-db", "index1", "index2", "protover", "min-match-len",
                "maxage", "numkeys", "timeout" -> {
                return "integer";
            }
            default -> {
                return "string";
            }
        }
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s.trim();
        }

        List<ArgumentDoc> sequence() {
            List<ArgumentDoc> out = new ArrayList<>();
            while (true) {
                skipBlanks();
                if (pos >= s.length() || s.charAt(pos) == ']' || s.charAt(pos) == ')' || s.charAt(pos) == '|') {
                    return out;
                }
                out.add(element());
            }
        }

        ArgumentDoc element() {
            ArgumentDoc a;
            char ch = s.charAt(pos);
            if (ch == '[' || ch == '(') {
                pos++;
                a = alternatives();
                expect(ch == '[' ? ']' : ')');
                if (ch == '[') {
                    a.optional = true;
                }
            } else {
                int start = pos;
                while (pos < s.length() && " []()|".indexOf(s.charAt(pos)) < 0 && !s.startsWith("...", pos)) {
                    pos++;
                }
                String word = s.substring(start, pos);
                if (word.isEmpty()) {
                    throw new IllegalArgumentException("bad syntax line at " + pos + ": " + s);
                }
                a = word(word);
            }
            if (s.startsWith("...", pos)) {
                pos += 3;
                a.multiple = true;
            }
            return a;
        }

        ArgumentDoc alternatives() {
            List<ArgumentDoc> alts = new ArrayList<>();
            alts.add(group(sequence()));
            while (pos < s.length() && s.charAt(pos) == '|') {
                pos++;
                alts.add(group(sequence()));
            }
            if (alts.size() == 1) {
                return alts.get(0);
            }
            return new ArgumentDoc(joinNames(alts), "oneof", null, alts);
        }

        /** One item of a sequence stays itself; TOKEN + argument collapses; otherwise a block. */
        ArgumentDoc group(List<ArgumentDoc> seq) {
            if (seq.size() == 1) {
                return seq.get(0);
            }
            if (seq.size() == 2 && seq.get(0).type.equals("pure-token") && seq.get(1).children == null
                && !seq.get(1).type.equals("pure-token") && !seq.get(1).optional) {
                ArgumentDoc arg = seq.get(1);
                ArgumentDoc t = new ArgumentDoc(arg.name, arg.type, seq.get(0).token, null);
                t.multiple = arg.multiple;
                return t;
            }
            return new ArgumentDoc(joinNames(seq), "block", null, seq);
        }

        static String joinNames(List<ArgumentDoc> parts) {
            List<String> names = new ArrayList<>();
            for (ArgumentDoc p : parts) {
                names.add(p.name);
            }
            return String.join("-", names);
        }

        static ArgumentDoc word(String w) {
            int colon = w.indexOf(':');
            if (colon > 0 && TYPES.contains(w.substring(colon + 1))) {
                return new ArgumentDoc(w.substring(0, colon), w.substring(colon + 1), null, null);
            }
            if (w.equals(w.toUpperCase()) && !w.equals(w.toLowerCase())) {
                return new ArgumentDoc(w.toLowerCase(), "pure-token", w, null);
            }
            return new ArgumentDoc(w, inferType(w), null, null);
        }

        void skipBlanks() {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }

        void expect(char ch) {
            skipBlanks();
            if (pos >= s.length() || s.charAt(pos) != ch) {
                throw new IllegalArgumentException("expected '" + ch + "' at " + pos + ": " + s);
            }
            pos++;
        }
    }
}
