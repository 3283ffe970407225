package dev.quokka.differential;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The server's own command table, as its {@code COMMAND} and {@code COMMAND DOCS} replies give
 * it: every command and subcommand with its group (the family the report counts by), arity,
 * flags, tips and argument tree. The generator draws arguments from these trees, so a command
 * added to Quokka's table is generated without touching the test.
 */
final class CommandTable {
    /** One argument of COMMAND DOCS: its type, token, flags and (for oneof/block) its children. */
    record Arg(String name, String type, String token, boolean optional, boolean multiple, boolean multipleToken,
               List<Arg> args) {
    }

    /** A command or subcommand: {@code name} is e.g. {@code "get"} or {@code "object|encoding"}. */
    record Command(String name, String family, int arity, Set<String> flags, Set<String> tips, List<Arg> args) {
        /** The words that name it on the wire, e.g. {@code OBJECT ENCODING}. */
        List<String> words() {
            return List.of(name.toUpperCase(Locale.ROOT).split("\\|"));
        }

        boolean writes() {
            return flags.contains("write");
        }

        boolean blocks() {
            return flags.contains("blocking");
        }
    }

    private CommandTable() {
    }

    static List<Command> load(Resp server) throws IOException {
        Map<String, Resp.Reply> infos = new HashMap<>();
        for (Resp.Reply info : server.call("COMMAND").children()) {
            collectInfo(info, infos);
        }
        List<Command> commands = new ArrayList<>();
        List<Resp.Reply> docs = server.call("COMMAND", "DOCS").children();
        for (int i = 0; i < docs.size(); i += 2) {
            collectDocs(text(docs.get(i)), docs.get(i + 1), infos, commands);
        }
        commands.sort(java.util.Comparator.comparing(Command::name));
        return commands;
    }

    private static void collectInfo(Resp.Reply info, Map<String, Resp.Reply> infos) {
        List<Resp.Reply> f = info.children();
        infos.put(text(f.get(0)), info);
        if (f.size() > 9) {
            for (Resp.Reply sub : f.get(9).children()) {
                collectInfo(sub, infos);
            }
        }
    }

    private static void collectDocs(String name, Resp.Reply doc, Map<String, Resp.Reply> infos, List<Command> out) {
        Map<String, Resp.Reply> fields = fields(doc);
        Resp.Reply info = infos.get(name);
        if (fields.containsKey("subcommands")) {
            List<Resp.Reply> subs = fields.get("subcommands").children();
            for (int i = 0; i < subs.size(); i += 2) {
                collectDocs(text(subs.get(i)), subs.get(i + 1), infos, out);
            }
            return;
        }
        if (info == null) {
            return;
        }
        List<Resp.Reply> f = info.children();
        int arity = Integer.parseInt(text(f.get(1)));
        Set<String> flags = texts(f.get(2));
        Set<String> tips = f.size() > 7 ? texts(f.get(7)) : Set.of();
        List<Arg> args = fields.containsKey("arguments") ? args(fields.get("arguments")) : List.of();
        String family = fields.containsKey("group") ? text(fields.get("group")) : "other";
        out.add(new Command(name, family, arity, flags, tips, args));
    }

    private static List<Arg> args(Resp.Reply list) {
        List<Arg> args = new ArrayList<>();
        for (Resp.Reply a : list.children()) {
            Map<String, Resp.Reply> f = fields(a);
            Set<String> flags = f.containsKey("flags") ? texts(f.get("flags")) : Set.of();
            args.add(new Arg(text(f.get("name")), text(f.get("type")),
                f.containsKey("token") ? text(f.get("token")) : null, flags.contains("optional"),
                flags.contains("multiple"), flags.contains("multiple_token"),
                f.containsKey("arguments") ? args(f.get("arguments")) : List.of()));
        }
        return args;
    }

    private static Map<String, Resp.Reply> fields(Resp.Reply flatMap) {
        Map<String, Resp.Reply> m = new LinkedHashMap<>();
        List<Resp.Reply> c = flatMap.children();
        for (int i = 0; i + 1 < c.size(); i += 2) {
            m.put(text(c.get(i)), c.get(i + 1));
        }
        return m;
    }

    private static Set<String> texts(Resp.Reply list) {
        Set<String> s = new TreeSet<>();
        for (Resp.Reply r : list.children()) {
            s.add(text(r));
        }
        return s;
    }

    static String text(Resp.Reply r) {
        if (r.body() != null) {
            return new String(r.body(), 0, r.body().length - 2, StandardCharsets.UTF_8);
        }
        return new String(r.line(), 1, r.line().length - 1, StandardCharsets.UTF_8);
    }
}
