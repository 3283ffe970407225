package dev.quokka.command.acl;

import dev.quokka.acl.AclLog;
import dev.quokka.acl.Selector;
import dev.quokka.acl.User;
import dev.quokka.acl.Users;
import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.connection.ClientCommands;
import dev.quokka.command.keys.ObjectCommands;
import dev.quokka.config.Settings;
import dev.quokka.session.Client;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static dev.quokka.command.ArgumentDoc.arg;

/** The ACL command (Redis 7.0): users, their rules, the log, categories, dry runs. */
public final class AclCommands {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AclCommands() {
    }

    /** Declares ACL with its subcommands: Redis 7.0's arity, flags, ACL categories and docs. */
    public static void register(CommandTable t) {
        CommandSpec acl = t.add("acl", -2, null)
            .doc("server", "6.0.0", "A container for Access List Control commands ").complexity("Depends on subcommand.");
        acl.sub("list", 2, AclCommands::list).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "6.0.0", "List the current ACL rules in ACL config file format").complexity("O(N). Where N is the number of configured users.");
        acl.sub("load", 2, AclCommands::load).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "6.0.0", "Reload the ACLs from the configured ACL file").complexity("O(N). Where N is the number of configured users.");
        acl.sub("help", 2, AclCommands::help).flags(Flag.LOADING, Flag.STALE)
            .doc("server", "6.0.0", "Show helpful text about the different subcommands").complexity("O(1)");
        acl.sub("save", 2, AclCommands::save).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "6.0.0", "Save the current ACL rules in the configured ACL file").complexity("O(N). Where N is the number of configured users.");
        acl.sub("cat", -2, AclCommands::cat).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "6.0.0", "List the ACL categories or the commands inside a category").complexity("O(1) since the categories and commands are a fixed set.")
            .args(arg("categoryname", "string").optional());
        acl.sub("whoami", 2, AclCommands::whoami).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "6.0.0", "Return the name of the user associated to the current connection").complexity("O(1)");
        acl.sub("genpass", -2, AclCommands::genpass).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "6.0.0", "Generate a pseudorandom secure password to use for ACL users").complexity("O(1)")
            .args(arg("bits", "integer").optional());
        acl.sub("users", 2, AclCommands::users).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "6.0.0", "List the username of all the configured ACL rules").complexity("O(N). Where N is the number of configured users.");
        acl.sub("log", -2, AclCommands::log).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "6.0.0", "List latest events denied because of ACLs in place").complexity("O(N) with N being the number of entries shown.")
            .args(arg("operation", "oneof").optional().of(
                    arg("count", "integer"),
                    arg("reset", "pure-token").token("RESET")));
        acl.sub("setuser", -3, AclCommands::setuser).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "6.0.0", "Modify or create the rules for a specific ACL user").complexity("O(N). Where N is the number of rules provided.")
            .history("6.2.0", "Added Pub/Sub channel patterns.")
            .history("7.0.0", "Added selectors and key based permissions.")
            .args(arg("username", "string"),
                arg("rule", "string").optional().multiple());
        acl.sub("getuser", 3, AclCommands::getuser).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "6.0.0", "Get the rules for a specific ACL user").complexity("O(N). Where N is the number of password, command and pattern rules that the user has.")
            .history("6.2.0", "Added Pub/Sub channel patterns.")
            .history("7.0.0", "Added selectors and changed the format of key and channel patterns from a list to their rule representation.")
            .args(arg("username", "string"));
        acl.sub("dryrun", -4, AclCommands::dryrun).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "7.0.0", "Returns whether the user can execute the given command without executing the command.").complexity("O(1).")
            .args(arg("username", "string"),
                arg("command", "string"),
                arg("arg", "string").optional().multiple());
        acl.sub("deluser", -3, AclCommands::deluser).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "6.0.0", "Remove the specified ACL users and the associated rules").complexity("O(1) amortized time considering the typical user.")
            .args(arg("username", "string").multiple());
    }

    /** Adds a denial to the ACL log, with the client's CLIENT LIST line. */
    public static void log(CommandContext c, AclLog.Reason reason, AclLog.Context context, String object, String username) {
        Client client = c.client;
        c.server.users().log().add(reason, context, object, username != null ? username : client.user().name(),
            ClientCommands.describe(client, c), c.server.config().get(Settings.ACLLOG_MAX_LEN));
    }

    static void setuser(CommandContext c) {
        String name = c.argBytes(2);
        for (int i = 0; i < name.length(); i++) {
            if (Character.isWhitespace(name.charAt(i)) || name.charAt(i) == 0) {
                c.reply.error("ERR Usernames can't contain spaces or null characters");
                return;
            }
        }
        List<String> rules = new ArrayList<>();
        for (int i = 3; i < c.argc; i++) {
            rules.add(c.argBytes(i));
        }
        Users users = c.server.users();
        User existing = users.get(name);
        Object result = c.server.aclRules().setUser(users, existing, name, rules, allChannelsByDefault(c));
        if (result instanceof String error) {
            c.reply.error(error);
            return;
        }
        User changed = (User) result;
        if (existing != null) {
            killRevokedSubscribers(c, existing, changed);
        }
        users.replace(existing == null ? changed.named(name) : changed);
        c.reply.ok();
    }

    /**
     * A bulk reply of ACL text: names, passwords and patterns are kept one char per byte
     * ({@link CommandContext#argBytes}), so they go back as the bytes they came as.
     */
    private static void bytes(CommandContext c, String latin1) {
        c.reply.bulk(latin1.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    static boolean allChannelsByDefault(CommandContext c) {
        return c.server.config().get(Settings.ACL_PUBSUB_DEFAULT).equals("allchannels");
    }

    /**
     * Connections of a user whose channel rights shrink and that are subscribed to a channel or
     * pattern the new rights do not allow are closed (Redis's ACLKillPubsubClientsIfNeeded).
     */
    private static void killRevokedSubscribers(CommandContext c, User before, User after) {
        for (Selector s : after.selectors()) {
            if (s.allChannels()) {
                return;
            }
        }
        for (Client o : c.server.clients().all()) {
            if (o.user() != before || !o.subscribed()) {
                continue;
            }
            boolean revoked = false;
            for (String ch : o.channels()) {
                revoked |= !channelAllowed(after, latin1(ch), false);
            }
            for (String ch : o.shardChannels()) {
                revoked |= !channelAllowed(after, latin1(ch), false);
            }
            for (String p : o.patterns()) {
                revoked |= !channelAllowed(after, latin1(p), true);
            }
            if (revoked) {
                o.kill();
            }
        }
    }

    private static byte[] latin1(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static boolean channelAllowed(User u, byte[] channel, boolean pattern) {
        for (Selector s : u.selectors()) {
            if (s.channel(channel, pattern)) {
                return true;
            }
        }
        return false;
    }

    static void deluser(CommandContext c) {
        for (int j = 2; j < c.argc; j++) {
            if (c.argBytes(j).equals(Users.DEFAULT)) {
                c.reply.error("ERR The 'default' user cannot be removed");
                return;
            }
        }
        int deleted = 0;
        for (int j = 2; j < c.argc; j++) {
            User u = c.server.users().remove(c.argBytes(j));
            if (u != null) {
                deleted++;
                killClientsOf(c.server, c.client, u);
            }
        }
        c.reply.integer(deleted);
    }

    /** Closes every connection authenticated as the user (the caller's after this reply, as Redis frees it asynchronously). */
    static void killClientsOf(dev.quokka.command.Server server, Client caller, User u) {
        for (Client o : new ArrayList<>(server.clients().all())) {
            if (o.user() == u) {
                if (o == caller) {
                    o.closeAfterReply();
                } else {
                    o.kill();
                }
            }
        }
    }

    static void getuser(CommandContext c) {
        User u = c.server.users().get(c.argBytes(2));
        if (u == null) {
            c.reply.nullBulk();
            return;
        }
        AclRules rules = c.server.aclRules();
        c.reply.map(6);
        c.reply.bulk("flags");
        List<String> flags = u.flagNames();
        c.reply.set(flags.size());
        flags.forEach(c.reply::bulk);
        c.reply.bulk("passwords");
        c.reply.array(u.passwords().size());
        u.passwords().forEach(c.reply::bulk);
        selector(c, rules, u.root());
        c.reply.bulk("selectors");
        c.reply.array(u.selectors().size() - 1);
        for (Selector s : u.selectors().subList(1, u.selectors().size())) {
            c.reply.map(3);
            selector(c, rules, s);
        }
    }

    private static void selector(CommandContext c, AclRules rules, Selector s) {
        c.reply.bulk("commands");
        bytes(c, rules.describeCommands(s));
        c.reply.bulk("keys");
        bytes(c, AclRules.keys(s));
        c.reply.bulk("channels");
        bytes(c, AclRules.channels(s));
    }

    static void list(CommandContext c) {
        c.reply.array(c.server.users().all().size());
        for (User u : c.server.users().all()) {
            bytes(c, "user " + u.name() + " " + c.server.aclRules().describe(u));
        }
    }

    static void users(CommandContext c) {
        c.reply.array(c.server.users().all().size());
        for (User u : c.server.users().all()) {
            bytes(c, u.name());
        }
    }

    static void whoami(CommandContext c) {
        bytes(c, c.client.user().name());
    }

    static void load(CommandContext c) {
        AclFile.load(c);
    }

    static void save(CommandContext c) {
        AclFile.save(c);
    }

    static void cat(CommandContext c) {
        if (c.argc == 2) {
            c.reply.array(dev.quokka.command.Acl.values().length);
            for (dev.quokka.command.Acl a : dev.quokka.command.Acl.values()) {
                c.reply.bulk(a.wireName().substring(1));
            }
            return;
        }
        if (c.argc != 3) {
            c.reply.error(Errors.subcommandSyntax(c));
            return;
        }
        int category = AclRules.category(c.arg(2));
        if (category < 0) {
            String name = c.arg(2);
            c.reply.error("ERR Unknown category '" + (name.length() > 128 ? name.substring(0, 128) : name) + "'");
            return;
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : c.server.commands().aclOrder()) {
            if ((spec.aclCategoryBits() & (1 << category)) != 0) {
                names.add(spec.fullName());
            }
        }
        c.reply.array(names.size());
        names.forEach(c.reply::bulk);
    }

    static void genpass(CommandContext c) {
        if (c.argc > 3) {
            c.reply.error(Errors.subcommandSyntax(c));
            return;
        }
        long bits = c.argc == 3 ? Args.longArg(c, 2) : 256;
        if (bits <= 0 || bits > 4096) {
            c.reply.error("ERR ACL GENPASS argument must be the number of bits for the output password, a positive "
                + "number up to 4096");
            return;
        }
        int chars = (int) ((bits + 3) / 4);
        byte[] b = new byte[(chars + 1) / 2];
        RANDOM.nextBytes(b);
        c.reply.bulk(HexFormat.of().formatHex(b).substring(0, chars));
    }

    static void log(CommandContext c) {
        if (c.argc > 3) {
            c.reply.error(Errors.subcommandSyntax(c));
            return;
        }
        long count = 10;
        if (c.argc == 3) {
            if (c.argIs(2, "reset")) {
                c.server.users().log().reset();
                c.reply.ok();
                return;
            }
            count = Math.max(0, Args.longArg(c, 2));
        }
        List<AclLog.Entry> entries = c.server.users().log().newest(count);
        long now = System.currentTimeMillis();
        c.reply.array(entries.size());
        for (AclLog.Entry e : entries) {
            c.reply.map(7);
            c.reply.bulk("count");
            c.reply.integer(e.count);
            c.reply.bulk("reason");
            c.reply.bulk(e.reason.name().toLowerCase(java.util.Locale.ROOT));
            c.reply.bulk("context");
            c.reply.bulk(e.context.name().toLowerCase(java.util.Locale.ROOT));
            c.reply.bulk("object");
            bytes(c, e.object);
            c.reply.bulk("username");
            bytes(c, e.username);
            c.reply.bulk("age-seconds");
            c.reply.dbl((now - e.millis) / 1000.0);
            c.reply.bulk("client-info");
            c.reply.bulk(e.clientInfo);
        }
    }

    static void dryrun(CommandContext c) {
        User u = c.server.users().get(c.argBytes(2));
        if (u == null) {
            c.reply.error("ERR User '" + c.argBytes(2) + "' not found");
            return;
        }
        byte[][] argv = java.util.Arrays.copyOfRange(c.argv, 3, c.argc);
        int argc = argv.length;
        CommandSpec spec = c.server.commands().lookup(argv[0]);
        if (spec != null && spec.isContainer()) {
            spec = argc >= 2 ? spec.subcommands().lookup(argv[1]) : null;
        }
        if (spec == null) {
            c.reply.error("ERR Command '" + c.arg(3) + "' not found");
            return;
        }
        if (!spec.arityOk(argc)) {
            c.reply.error("ERR wrong number of arguments for '" + spec.fullName() + "' command");
            return;
        }
        AclCheck.Denial d = AclCheck.check(u, spec, argv, argc);
        if (d == null) {
            c.reply.ok();
            return;
        }
        String what = switch (d.reason()) {
            case COMMAND -> "run the '" + spec.fullName() + "' command";
            case KEY -> "access the '" + AclCheck.object(d, spec, argv) + "' key";
            default -> "access the '" + AclCheck.object(d, spec, argv) + "' channel";
        };
        bytes(c, "This user has no permissions to " + what);
    }

    static void help(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CAT [<category>]",
            "    List all commands that belong to <category>, or all command categories",
            "    when no category is specified.",
            "DELUSER <username> [<username> ...]",
            "    Delete a list of users.",
            "DRYRUN <username> <command> [<arg> ...]",
            "    Returns whether the user can execute the given command without executing the command.",
            "GETUSER <username>",
            "    Get the user's details.",
            "GENPASS [<bits>]",
            "    Generate a secure 256-bit user password. The optional `bits` argument can",
            "    be used to specify a different size.",
            "LIST",
            "    Show users details in config file format.",
            "LOAD",
            "    Reload users from the ACL file.",
            "LOG [<count> | RESET]",
            "    Show the ACL log entries.",
            "SAVE",
            "    Save the current config to the ACL file.",
            "SETUSER <username> <attribute> [<attribute> ...]",
            "    Create or modify a user with the specified attributes.",
            "USERS",
            "    List all the registered usernames.",
            "WHOAMI",
            "    Return the current connection username.",
        });
    }
}
