package dev.quokka.command.connection;

import dev.quokka.command.Args;
import dev.quokka.command.Errors;
import dev.quokka.command.keys.ObjectCommands;
import dev.quokka.server.Client;

import java.util.ArrayList;
import java.util.List;

/** CLIENT subcommands (Redis's {@code networking.c}). */
public final class ClientCommands {
    private ClientCommands() {
    }

    /** CLIENT ID */
    public static void id(Client c) {
        c.reply.integer(c.id());
    }

    /** Validates and sets a client name (Redis's {@code clientSetName}); false after an error reply. */
    static boolean setName(Client c, String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                c.reply.error("ERR Client names cannot contain spaces, newlines or special characters.");
                return false;
            }
        }
        c.name(name);
        return true;
    }

    /** CLIENT SETNAME name */
    public static void setname(Client c) {
        if (setName(c, c.arg(2))) {
            c.reply.ok();
        }
    }

    /** CLIENT GETNAME */
    public static void getname(Client c) {
        if (c.name().isEmpty()) {
            c.reply.nullBulk();
        } else {
            c.reply.bulk(c.name());
        }
    }

    /** CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2; accepted for clients that send it on connect). */
    public static void setinfo(Client c) {
        String attr = c.arg(2).toLowerCase();
        String value = c.arg(3);
        if (!attr.equals("lib-name") && !attr.equals("lib-ver")) {
            c.reply.error("ERR Unrecognized option '" + c.arg(2) + "'");
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
            c.libName(value);
        } else {
            c.libVer(value);
        }
        c.reply.ok();
    }

    /** CLIENT REPLY ON|OFF|SKIP */
    public static void reply(Client c) {
        if (c.argIs(2, "ON")) {
            c.replyMode(Client.ReplyMode.ON);
            c.reply.enabled(true);
            c.reply.ok();
        } else if (c.argIs(2, "OFF")) {
            c.replyMode(Client.ReplyMode.OFF);
            c.reply.enabled(false);
        } else if (c.argIs(2, "SKIP")) {
            if (c.replyMode() == Client.ReplyMode.ON) {
                c.replyMode(Client.ReplyMode.SKIP);
            }
        } else {
            c.reply.error(Errors.SYNTAX);
        }
    }

    /** The CLIENT LIST / CLIENT INFO line of one client (Redis 7.0's fields, plus 7.2's lib-name/lib-ver). */
    static String describe(Client c, Client self) {
        long now = System.currentTimeMillis();
        int qbuf = c == self ? 0 : c.queryBufferLength();
        return "id=" + c.id()
            + " addr=" + c.addr()
            + " laddr=" + c.laddr()
            + " fd=" + (7 + c.id())
            + " name=" + c.name()
            + " age=" + (now - c.createdMillis()) / 1000
            + " idle=" + (now - c.lastInteractionMillis()) / 1000
            + " flags=" + (c.subscribed() ? "P" : "N")
            + " db=" + c.db().id()
            + " sub=" + c.channels().size() + " psub=" + c.patterns().size() + " ssub=0 multi=-1"
            + " qbuf=" + qbuf
            + " qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0"
            + " events=r"
            + " cmd=" + (c == self ? self.argc > 0 ? currentName(self) : c.lastCommand() : c.lastCommand())
            + " user=default redir=-1"
            + " resp=" + c.reply.resp()
            + " lib-name=" + c.libName()
            + " lib-ver=" + c.libVer();
    }

    private static String currentName(Client c) {
        return c.arg(0).toLowerCase() + (c.argc > 1 ? "|" + c.arg(1).toLowerCase() : "");
    }

    /** CLIENT INFO */
    public static void info(Client c) {
        c.reply.verbatim(describe(c, c) + "\n");
    }

    /** CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id [id ...]] */
    public static void list(Client c) {
        List<Long> ids = null;
        String type = null;
        for (int j = 2; j < c.argc; j++) {
            if (c.argIs(j, "TYPE") && j + 1 < c.argc) {
                type = c.arg(++j).toLowerCase();
                if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                    c.reply.error("ERR Unknown client type '" + c.arg(j) + "'");
                    return;
                }
            } else if (c.argIs(j, "ID") && j + 1 < c.argc) {
                ids = new ArrayList<>();
                for (j++; j < c.argc; j++) {
                    if (!Args.longArg(c, j, "ERR Invalid client ID")) {
                        return;
                    }
                    long id = Args.value(c);
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
        for (Client o : c.server.clients().values()) {
            if (ids != null && !ids.contains(o.id())) {
                continue;
            }
            if (type != null && !type.equals("normal")) {
                continue;
            }
            sb.append(describe(o, c)).append('\n');
        }
        c.reply.verbatim(sb.toString());
    }

    /**
     * CLIENT KILL ip:port (old form: +OK or an error) or CLIENT KILL with filters ID, ADDR,
     * LADDR, TYPE, USER, SKIPME, MAXAGE (new form: the number killed).
     */
    public static void kill(Client c) {
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
                    if (!Args.longArg(c, j + 1, "ERR client-id should be greater than 0")) {
                        return;
                    }
                    if (Args.value(c) <= 0) {
                        c.reply.error("ERR client-id should be greater than 0");
                        return;
                    }
                    id = Args.value(c);
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
                    user = v;
                    if (!user.equals("default")) {
                        c.reply.error("ERR No such user '" + v + "'");
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
                    if (!Args.longArg(c, j + 1)) {
                        return;
                    }
                    maxAge = Args.value(c);
                } else {
                    c.reply.error(Errors.SYNTAX);
                    return;
                }
            }
        }
        long now = System.currentTimeMillis();
        List<Client> victims = new ArrayList<>();
        for (Client o : c.server.clients().values()) {
            if (addr != null && !addr.equals(stripSlash(o.addr()))) {
                continue;
            }
            if (laddr != null && !laddr.equals(stripSlash(o.laddr()))) {
                continue;
            }
            if (id != 0 && o.id() != id) {
                continue;
            }
            if (type != null && !type.equals("normal")) {
                continue;
            }
            if (maxAge != 0 && (now - o.createdMillis()) / 1000 < maxAge) {
                continue;
            }
            if (o == c && newForm && skipMe) {
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
            if (v == c) {
                c.closeAfterReply();
            } else {
                v.kill();
            }
        }
    }

    private static String stripSlash(String a) {
        return a.startsWith("/") ? a.substring(1) : a;
    }

    /** CLIENT NO-EVICT on|off (accepted; client eviction is not implemented) */
    public static void noEvict(Client c) {
        if (c.argIs(2, "ON") || c.argIs(2, "OFF")) {
            c.reply.ok();
        } else {
            c.reply.error(Errors.SYNTAX);
        }
    }

    /** CLIENT HELP */
    public static void help(Client c) {
        ObjectCommands.helpReply(c, new String[] {
            "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
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
            "    * ID <client-id>",
            "      Kill connections by client id.",
            "    * MAXAGE <maxage>",
            "      Kill connections older than the specified age.",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "SETINFO <LIB-NAME|LIB-VER> <value>",
            "    Set client library name and version.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.",
        });
    }
}
