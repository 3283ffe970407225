package dev.quokka.command.admin;

import dev.quokka.command.CommandContext;
import dev.quokka.command.Errors;
import dev.quokka.command.keys.ObjectCommands;
import dev.quokka.config.ConfigFile;
import dev.quokka.config.LaunchArguments;
import dev.quokka.config.ServerConfig;
import dev.quokka.config.Setting;
import dev.quokka.config.Settings;
import dev.quokka.keyspace.Glob;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** CONFIG GET | SET | RESETSTAT | REWRITE | HELP. */
public final class ConfigCommands {
    private static final Logger LOG = Logger.getLogger(ConfigCommands.class);

    private ConfigCommands() {
    }

    /** CONFIG GET parameter [parameter ...]: glob patterns, case-insensitive; a map in RESP3. */
    public static void get(CommandContext c) {
        ServerConfig config = c.server.config();
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 2; i < c.argc; i++) {
            byte[] pat = c.argv[i];
            String exact = c.arg(i).toLowerCase(Locale.ROOT);
            // An exact name (or alias) is answered under the name asked for, as Redis does.
            Setting<?> direct = Settings.named(exact);
            if (direct != null && !hasGlob(exact)) {
                out.putIfAbsent(exact, config.value(direct));
                continue;
            }
            for (Setting<?> s : Settings.all()) {
                if (!s.hidden() && Glob.match(pat, s.name().getBytes(StandardCharsets.UTF_8), true)) {
                    out.putIfAbsent(s.name(), config.value(s));
                }
            }
            for (Map.Entry<String, Setting<?>> a : Settings.aliases().entrySet()) {
                if (!a.getValue().hidden() && Glob.match(pat, a.getKey().getBytes(StandardCharsets.UTF_8), true)) {
                    out.putIfAbsent(a.getKey(), config.value(a.getValue()));
                }
            }
        }
        c.reply.map(out.size());
        out.forEach((k, v) -> {
            c.reply.bulk(k);
            c.reply.bulk(v);
        });
    }

    private static boolean hasGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    /** CONFIG SET parameter value [parameter value ...]: all or nothing. */
    public static void set(CommandContext c) {
        if (c.argc % 2 != 0) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        List<String[]> pairs = new ArrayList<>();
        for (int i = 2; i < c.argc; i += 2) {
            pairs.add(new String[] {c.arg(i), c.arg(i + 1)});
        }
        String err = c.server.config().set(pairs, c.client.local(),
            c.keyspace().loading() || c.server.asyncLoading());
        if (err != null) {
            c.reply.error(err);
        } else {
            c.reply.ok();
        }
    }

    /** CONFIG RESETSTAT */
    public static void resetstat(CommandContext c) {
        c.server.resetStats();
        c.reply.ok();
    }

    /** CONFIG REWRITE: the running configuration back into the file the server was started with. */
    public static void rewrite(CommandContext c) {
        Path file = LaunchArguments.configFile();
        if (file == null) {
            c.reply.error("ERR The server is running without a config file");
            return;
        }
        try {
            ConfigFile.rewrite(file, c.server.config(), userLines(c));
            c.reply.ok();
        } catch (IOException e) {
            // Redis: "Rewriting config file: <strerror>", and the error reply below.
            LOG.warnf("CONFIG REWRITE failed: %s", e.toString());
            c.reply.error("ERR Rewriting config file: " + e.getMessage());
        }
    }

    /**
     * The ACL users as config file lines ({@code user <name> <rules>} in name order), or null when
     * they live in an aclfile (Redis then leaves none in the config file).
     */
    public static List<String> userLines(CommandContext c) {
        if (!c.server.config().value(Settings.ACLFILE).isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        List<dev.quokka.acl.User> users = new ArrayList<>(c.server.users().all());
        users.sort(java.util.Comparator.comparing(dev.quokka.acl.User::name));
        for (dev.quokka.acl.User u : users) {
            // names and rules hold one char per byte: the file gets those bytes
            String line = "user " + u.name() + " " + c.server.aclRules().describe(u);
            out.add(new String(line.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    /** CONFIG HELP */
    public static void help(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
        });
    }
}
