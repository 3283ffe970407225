package dev.quokka.command.connection;

import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.Errors;
import dev.quokka.command.keys.ObjectCommands;
import dev.quokka.session.Blocking;
import dev.quokka.session.Client;
import dev.quokka.session.Tracking;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** CLIENT subcommands (Redis's {@code networking.c}). */
public final class ClientCommands {
    private ClientCommands() {
    }

    /** CLIENT ID */
    public static void id(CommandContext c) {
        c.reply.integer(c.client.id());
    }

    /** Validates and sets a client name (Redis's {@code clientSetName}); false after an error reply. */
    static boolean setName(CommandContext c, String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                c.reply.error("ERR Client names cannot contain spaces, newlines or special characters.");
                return false;
            }
        }
        c.client.name(name);
        return true;
    }

    /** CLIENT SETNAME name */
    public static void setname(CommandContext c) {
        if (setName(c, c.arg(2))) {
            c.reply.ok();
        }
    }

    /** CLIENT GETNAME */
    public static void getname(CommandContext c) {
        if (c.client.name().isEmpty()) {
            c.reply.nullBulk();
        } else {
            c.reply.bulk(c.client.name());
        }
    }

    /** CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2; accepted for clients that send it on connect). */
    public static void setinfo(CommandContext c) {
        String attr = c.arg(2).toLowerCase();
        String value = c.arg(3);
        if (!attr.equals("lib-name") && !attr.equals("lib-ver")) {
            c.reply.error("ERR Unrecognized option '" + c.quoted(2) + "'");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < '!' || ch > '~') {
                c.reply.error("ERR " + attr + " cannot contain spaces, newlines or special characters.");
                return;
            }
        }
        if (attr.equals("lib-name")) {
            c.client.libName(value);
        } else {
            c.client.libVer(value);
        }
        c.reply.ok();
    }

    /** CLIENT REPLY ON|OFF|SKIP */
    public static void reply(CommandContext c) {
        if (c.argIs(2, "ON")) {
            c.client.replyMode(Client.ReplyMode.ON);
            c.reply.enabled(true);
            c.reply.ok();
        } else if (c.argIs(2, "OFF")) {
            c.client.replyMode(Client.ReplyMode.OFF);
            c.reply.enabled(false);
        } else if (c.argIs(2, "SKIP")) {
            if (c.client.replyMode() == Client.ReplyMode.ON) {
                c.client.replyMode(Client.ReplyMode.SKIP);
            }
        } else {
            c.reply.error(Errors.SYNTAX);
        }
    }

    /** The CLIENT LIST / CLIENT INFO line of one client (Redis 7.0's fields, plus 7.2's lib-name/lib-ver). */
    public static String describe(Client o, CommandContext self) {
        long now = System.currentTimeMillis();
        long qbuf = o == self.client ? o.queryBufferWithCurrent() : o.queryBufferLength();
        return "id=" + o.id()
            + " addr=" + o.addr()
            + " laddr=" + o.laddr()
            + " fd=" + (7 + o.id())
            + " name=" + o.name()
            + " age=" + (now - o.createdMillis()) / 1000
            + " idle=" + (now - o.lastInteractionMillis()) / 1000
            + " flags=" + (o.replica() ? "S" : o.master() ? "M" : o.monitor() ? "O" : o.subscribed() ? "P" : o.blocked() ? "b" : o.inMulti() ? "x" : "N")
            + " db=" + o.db().id()
            + " sub=" + o.channels().size() + " psub=" + o.patterns().size() + " ssub=" + o.shardChannels().size() + " multi=" + o.queuedCount()
            + " qbuf=" + qbuf
            + " qbuf-free=" + Math.max(0, o.parser.capacity() - qbuf) + " argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=" + o.outputBytes()
            + " tot-mem=" + o.memory()
            + " events=r"
            + " cmd=" + (o == self.client ? self.argc > 0 ? currentName(self) : o.lastCommand() : o.lastCommand())
            + " user=" + new String(o.user().name().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)
            + " redir=-1"
            + " resp=" + o.reply.resp()
            + " lib-name=" + o.libName()
            + " lib-ver=" + o.libVer();
    }

    /** The running command's full name ({@code client|list}, {@code get}), as Redis's cmd= field. */
    private static String currentName(CommandContext c) {
        dev.quokka.command.CommandSpec spec = c.server.commands().lookup(c.argv[0]);
        boolean container = spec != null && spec.isContainer();
        return c.arg(0).toLowerCase() + (container && c.argc > 1 ? "|" + c.arg(1).toLowerCase() : "");
    }

    /** CLIENT INFO */
    public static void info(CommandContext c) {
        c.reply.verbatim(describe(c.client, c) + "\n");
    }

    /** CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id [id ...]] */
    public static void list(CommandContext c) {
        List<Long> ids = null;
        String type = null;
        for (int j = 2; j < c.argc; j++) {
            if (c.argIs(j, "TYPE") && j + 1 < c.argc) {
                type = c.arg(++j).toLowerCase();
                if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                    c.reply.error("ERR Unknown client type '" + c.quoted(j) + "'");
                    return;
                }
            } else if (c.argIs(j, "ID") && j + 1 < c.argc) {
                ids = new ArrayList<>();
                for (j++; j < c.argc; j++) {
                    long id = Args.longArg(c, j, "ERR Invalid client ID");
                    if (id <= 0) {
                        c.reply.error("ERR Invalid client ID");
                        return;
                    }
                    ids.add(id);
                }
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (Client o : c.server.clients().all()) {
            if (ids != null && !ids.contains(o.id())) {
                continue;
            }
            if (type != null && !typeMatches(o, type)) {
                continue;
            }
            sb.append(describe(o, c)).append('\n');
        }
        c.reply.verbatim(sb.toString());
    }

    /**
     * Whether {@code o} is of CLIENT LIST/KILL's {@code type}: replicas (slave) are those past
     * PSYNC, master is a replica's link to its primary; subscribers count as normal.
     */
    private static boolean typeMatches(Client o, String type) {
        return switch (type) {
            case "replica", "slave" -> o.replica();
            case "master" -> o.master();
            case "normal" -> !o.replica() && !o.master();
            default -> false;
        };
    }

    /** CLIENT UNBLOCK client-id [TIMEOUT|ERROR]: 1 when that client waited in a blocking command. */
    public static void unblock(CommandContext c) {
        if (c.argc > 4) {
            c.reply.error(Errors.subcommandSyntax(c));
            return;
        }
        Blocking.BlockEnd how = Blocking.BlockEnd.TIMEOUT;
        if (c.argc == 4) {
            if (c.argIs(3, "ERROR")) {
                how = Blocking.BlockEnd.ERROR;
            } else if (!c.argIs(3, "TIMEOUT")) {
                c.reply.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                return;
            }
        }
        long id = Args.longArg(c, 2);
        Client target = c.server.clients().get(id);
        // A client postponed by CLIENT PAUSE is not blocked by a command: CLIENT UNBLOCK cannot end that wait.
        if (target != null && target.blocked() && !target.postponed()) {
            c.server.blocking().unblock(target, how);
            c.reply.integer(1);
        } else {
            c.reply.integer(0);
        }
    }

    /**
     * CLIENT PAUSE timeout [WRITE|ALL]: for {@code timeout} milliseconds, commands (ALL) or those
     * that write or may replicate (WRITE) wait unanswered; expiry and eviction stop meanwhile.
     */
    public static void pause(CommandContext c) {
        Blocking.Pause mode = Blocking.Pause.ALL;
        if (c.argc == 4) {
            if (c.argIs(3, "write")) {
                mode = Blocking.Pause.WRITE;
            } else if (!c.argIs(3, "all")) {
                c.reply.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
                return;
            }
        } else if (c.argc > 4) {
            c.reply.error(Errors.subcommandSyntax(c));
            return;
        }
        long millis = Args.longArg(c, 2, "ERR timeout is not an integer or out of range");
        if (millis < 0) {
            c.reply.error("ERR timeout is negative");
            return;
        }
        c.server.blocking().pause(mode, millis > 0 ? System.currentTimeMillis() + millis : 0);
        c.reply.ok();
    }

    /** CLIENT UNPAUSE */
    public static void unpause(CommandContext c) {
        c.server.blocking().unpause();
        c.reply.ok();
    }

    /**
     * CLIENT KILL ip:port (old form: +OK or an error) or CLIENT KILL with filters ID, ADDR,
     * LADDR, TYPE, USER, SKIPME, MAXAGE (new form: the number killed).
     */
    public static void kill(CommandContext c) {
        String addr = null;
        String laddr = null;
        long id = 0;
        String type = null;
        String user = null;
        boolean skipMe = true;
        long maxAge = 0;
        boolean newForm = c.argc != 3;
        if (!newForm) {
            addr = c.arg(2);
        } else {
            if (c.argc % 2 == 1) {
                c.reply.error(Errors.SYNTAX);
                return;
            }
            for (int j = 2; j < c.argc; j += 2) {
                String v = c.arg(j + 1);
                if (c.argIs(j, "ID")) {
                    id = Args.longArg(c, j + 1, "ERR client-id should be greater than 0");
                    if (id <= 0) {
                        c.reply.error("ERR client-id should be greater than 0");
                        return;
                    }
                } else if (c.argIs(j, "ADDR")) {
                    addr = v;
                } else if (c.argIs(j, "LADDR")) {
                    laddr = v;
                } else if (c.argIs(j, "TYPE")) {
                    type = v.toLowerCase();
                    if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                        c.reply.error("ERR Unknown client type '" + v + "'");
                        return;
                    }
                } else if (c.argIs(j, "USER")) {
                    user = c.argBytes(j + 1);
                    if (c.server.users().get(user) == null) {
                        c.reply.error("ERR No such user '" + user + "'");
                        return;
                    }
                } else if (c.argIs(j, "SKIPME")) {
                    if (v.equalsIgnoreCase("yes")) {
                        skipMe = true;
                    } else if (v.equalsIgnoreCase("no")) {
                        skipMe = false;
                    } else {
                        c.reply.error(Errors.SYNTAX);
                        return;
                    }
                } else if (c.argIs(j, "MAXAGE")) {
                    maxAge = Args.longArg(c, j + 1);
                } else {
                    c.reply.error(Errors.SYNTAX);
                    return;
                }
            }
        }
        long now = System.currentTimeMillis();
        List<Client> victims = new ArrayList<>();
        for (Client o : c.server.clients().all()) {
            if (addr != null && !addr.equals(stripSlash(o.addr()))) {
                continue;
            }
            if (laddr != null && !laddr.equals(stripSlash(o.laddr()))) {
                continue;
            }
            if (id != 0 && o.id() != id) {
                continue;
            }
            if (type != null && !typeMatches(o, type)) {
                continue;
            }
            if (maxAge != 0 && (now - o.createdMillis()) / 1000 < maxAge) {
                continue;
            }
            if (user != null && o.user() != c.server.users().get(user)) {
                continue;
            }
            if (o == c.client && newForm && skipMe) {
                continue;
            }
            victims.add(o);
        }
        if (!newForm) {
            if (victims.isEmpty()) {
                c.reply.error("ERR No such client");
                return;
            }
            c.reply.ok();
        } else {
            c.reply.integer(victims.size());
        }
        for (Client v : victims) {
            if (v == c.client) {
                c.client.closeAfterReply();
            } else {
                v.kill();
            }
        }
    }

    private static String stripSlash(String a) {
        return a.startsWith("/") ? a.substring(1) : a;
    }

    /**
     * CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX prefix ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP],
     * with Redis's checks in Redis's order.
     */
    public static void tracking(CommandContext c) {
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<String> prefixes = new ArrayList<>();
        for (int j = 3; j < c.argc; j++) {
            boolean more = j < c.argc - 1;
            if (c.argIs(j, "REDIRECT") && more) {
                j++;
                if (redirect != 0) {
                    c.reply.error("ERR A client can only redirect to a single other client");
                    return;
                }
                redirect = Args.longArg(c, j);
                if (!(c.server.clients().get(redirect) != null)) {
                    c.reply.error("ERR The client ID you want redirect to does not exist");
                    return;
                }
            } else if (c.argIs(j, "BCAST")) {
                bcast = true;
            } else if (c.argIs(j, "OPTIN")) {
                optin = true;
            } else if (c.argIs(j, "OPTOUT")) {
                optout = true;
            } else if (c.argIs(j, "NOLOOP")) {
                noloop = true;
            } else if (c.argIs(j, "PREFIX") && more) {
                prefixes.add(new String(c.argv[++j], StandardCharsets.ISO_8859_1));
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (c.argIs(2, "OFF")) {
            c.server.tracking().disable(c.client);
            c.reply.ok();
            return;
        }
        if (!c.argIs(2, "ON")) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        if (!bcast && !prefixes.isEmpty()) {
            c.reply.error("ERR PREFIX option requires BCAST mode to be enabled");
            return;
        }
        if (c.client.tracking() && c.client.trackingBcast() != bcast) {
            c.reply.error("ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
                + "and then re-enabling it with a different mode.");
            return;
        }
        if (bcast && (optin || optout)) {
            c.reply.error("ERR OPTIN and OPTOUT are not compatible with BCAST");
            return;
        }
        if (optin && optout) {
            c.reply.error("ERR You can't specify both OPTIN mode and OPTOUT mode");
            return;
        }
        if ((optin && c.client.trackingOptout()) || (optout && c.client.trackingOptin())) {
            c.reply.error("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
                + "and then re-enabling it with a different mode.");
            return;
        }
        if (bcast) {
            for (int i = 0; i < prefixes.size(); i++) {
                String clash = Tracking.overlapping(c.client.trackingPrefixes(), prefixes.get(i));
                if (clash != null) {
                    c.reply.error("ERR Prefix '" + prefixes.get(i) + "' overlaps with an existing prefix '" + clash
                        + "'. Prefixes for a single client must not overlap.");
                    return;
                }
                for (int k = i + 1; k < prefixes.size(); k++) {
                    if (Tracking.overlaps(prefixes.get(i), prefixes.get(k))) {
                        c.reply.error("ERR Prefix '" + prefixes.get(i) + "' overlaps with another provided prefix '"
                            + prefixes.get(k) + "'. Prefixes for a single client must not overlap.");
                        return;
                    }
                }
            }
        }
        c.server.tracking().enable(c.client, redirect, bcast, optin, optout, noloop, prefixes);
        c.reply.ok();
    }

    /** CLIENT CACHING YES|NO: whether the next command's keys are tracked (OPTIN / OPTOUT mode). */
    public static void caching(CommandContext c) {
        if (!c.client.tracking()) {
            c.reply.error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled");
            return;
        }
        if (c.argIs(2, "YES")) {
            if (!c.client.trackingOptin()) {
                c.reply.error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
                return;
            }
        } else if (c.argIs(2, "NO")) {
            if (!c.client.trackingOptout()) {
                c.reply.error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
                return;
            }
        } else {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        c.client.trackingCaching(true);
        c.reply.ok();
    }

    /** CLIENT GETREDIR: -1 when not tracking, 0 without redirection, else the target's id. */
    public static void getredir(CommandContext c) {
        c.reply.integer(c.client.tracking() ? c.client.trackingRedirect() : -1);
    }

    /** CLIENT TRACKINGINFO */
    public static void trackinginfo(CommandContext c) {
        List<String> flags = new ArrayList<>();
        flags.add(c.client.tracking() ? "on" : "off");
        if (c.client.trackingBcast()) {
            flags.add("bcast");
        }
        if (c.client.trackingOptin()) {
            flags.add("optin");
            if (c.client.trackingCaching()) {
                flags.add("caching-yes");
            }
        }
        if (c.client.trackingOptout()) {
            flags.add("optout");
            if (c.client.trackingCaching()) {
                flags.add("caching-no");
            }
        }
        if (c.client.trackingNoloop()) {
            flags.add("noloop");
        }
        if (c.client.trackingBrokenRedirect()) {
            flags.add("broken_redirect");
        }
        c.reply.map(3);
        c.reply.bulk("flags");
        c.reply.set(flags.size());
        flags.forEach(c.reply::bulk);
        c.reply.bulk("redirect");
        c.reply.integer(c.client.tracking() ? c.client.trackingRedirect() : -1);
        c.reply.bulk("prefixes");
        c.reply.array(c.client.trackingPrefixes().size());
        for (String p : c.client.trackingPrefixes()) {
            c.reply.bulk(p.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** CLIENT NO-EVICT on|off: whether client eviction may close this client. */
    public static void noEvict(CommandContext c) {
        if (c.argIs(2, "ON") || c.argIs(2, "OFF")) {
            c.client.noEvict(c.argIs(2, "ON"));
            c.reply.ok();
        } else {
            c.reply.error(Errors.SYNTAX);
        }
    }

    /** CLIENT HELP */
    public static void help(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CACHING (YES|NO)",
            "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
            "GETREDIR",
            "    Return the client ID we are redirecting to when tracking is enabled.",
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "UNPAUSE",
            "    Stop the current client pause, resuming traffic.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    Unblock the specified blocked client.",
            "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
            "         [OPTIN] [OPTOUT] [NOLOOP]",
            "    Control server assisted client side caching.",
            "TRACKINGINFO",
            "    Report tracking status for the current connection.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.",
        });
    }
}
