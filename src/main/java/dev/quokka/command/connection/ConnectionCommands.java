package dev.quokka.command.connection;

import dev.quokka.acl.AclLog;
import dev.quokka.acl.User;
import dev.quokka.acl.Users;
import dev.quokka.command.acl.AclCommands;
import dev.quokka.command.Acl;
import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.config.BuildInfo;
import dev.quokka.session.Client;

import java.nio.charset.StandardCharsets;

import static dev.quokka.command.ArgumentDoc.arg;

/** The connection group: PING, ECHO, SELECT, AUTH, HELLO, QUIT, RESET. */
public final class ConnectionCommands {
    private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);

    private ConnectionCommands() {
    }

    /** Declares this family's commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("ping", -1, ConnectionCommands::ping).flags(Flag.FAST).acl(Acl.CONNECTION)
            .doc("connection", "1.0.0", "Ping the server").complexity("O(1)").tips("request_policy:all_shards", "response_policy:all_succeeded")
            .args(arg("message", "string").optional());
        t.add("echo", 2, ConnectionCommands::echo).flags(Flag.LOADING, Flag.STALE, Flag.FAST).acl(Acl.CONNECTION)
            .doc("connection", "1.0.0", "Echo the given string").complexity("O(1)")
            .args(arg("message", "string"));
        t.add("select", 2, ConnectionCommands::select).flags(Flag.LOADING, Flag.STALE, Flag.FAST).acl(Acl.CONNECTION)
            .doc("connection", "1.0.0", "Change the selected database for the current connection").complexity("O(1)")
            .args(arg("index", "integer"));
        t.add("auth", -2, ConnectionCommands::auth).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.NO_AUTH, Flag.ALLOW_BUSY).acl(Acl.CONNECTION)
            .doc("connection", "1.0.0", "Authenticate to the server")
            .complexity("O(N) where N is the number of passwords defined for the user")
            .args(arg("username", "string").since("6.0.0").optional(),
                arg("password", "string"))
            .history("6.0.0", "Added ACL style (username and password).");
        t.add("hello", -1, ConnectionCommands::hello).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.NO_AUTH, Flag.ALLOW_BUSY).acl(Acl.CONNECTION)
            .doc("connection", "6.0.0", "Handshake with Redis").complexity("O(1)")
            .history("6.2.0", "`protover` made optional; when called without arguments the command reports the current connection's context.")
            .args(arg("arguments", "block").optional().of(
                    arg("protover", "integer"),
                    arg("username_password", "block").token("AUTH").optional().of(
                        arg("username", "string"),
                        arg("password", "string")),
                    arg("clientname", "string").token("SETNAME").optional()));
        t.add("quit", -1, ConnectionCommands::quit).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.NO_AUTH, Flag.ALLOW_BUSY).acl(Acl.CONNECTION)
            .doc("connection", "1.0.0", "Close the connection").complexity("O(1)");
        t.add("reset", 1, ConnectionCommands::reset).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.NO_AUTH, Flag.ALLOW_BUSY).acl(Acl.CONNECTION)
            .doc("connection", "6.2.0", "Reset the connection").complexity("O(1)");
        CommandSpec client = t.add("client", -2, null).doc("connection", "2.4.0", "A container for client connection commands")
            .complexity("Depends on subcommand.");
        client.sub("kill", -3, ClientCommands::kill).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "2.4.0", "Kill the connection of a client").complexity("O(N) where N is the number of client connections")
            .args(arg("filter", "oneof").of(
                    arg("ip:port", "string").deprecatedSince("2.8.12"),
                    arg("new-format", "oneof").multiple().of(
                        arg("client-id", "integer").token("ID").since("2.8.12").optional(),
                        arg("normal_master_slave_pubsub", "oneof").token("TYPE").since("2.8.12").optional().of(
                            arg("normal", "pure-token").token("NORMAL"),
                            arg("master", "pure-token").token("MASTER").since("3.2.0"),
                            arg("slave", "pure-token").token("SLAVE"),
                            arg("replica", "pure-token").token("REPLICA").since("5.0.0"),
                            arg("pubsub", "pure-token").token("PUBSUB")),
                        arg("username", "string").token("USER").optional(),
                        arg("ip:port", "string").token("ADDR").optional(),
                        arg("ip:port", "string").token("LADDR").since("6.2.0").optional(),
                        arg("yes/no", "string").token("SKIPME").optional())))
            .history("2.8.12", "Added new filter format.")
            .history("2.8.12", "`ID` option.")
            .history("3.2.0", "Added `master` type in for `TYPE` option.")
            .history("5.0.0", "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.")
            .history("6.2.0", "`LADDR` option.");
        client.sub("trackinginfo", 2, ClientCommands::trackinginfo).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "6.2.0", "Return information about server assisted client side caching for the current connection")
            .complexity("O(1)");
        client.sub("id", 2, ClientCommands::id).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "5.0.0", "Returns the client ID for the current connection").complexity("O(1)");
        client.sub("tracking", -3, ClientCommands::tracking).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "6.0.0", "Enable or disable server assisted client side caching support")
            .complexity("O(1). Some options may introduce additional complexity.")
            .args(arg("status", "oneof").of(
                    arg("on", "pure-token").token("ON"),
                    arg("off", "pure-token").token("OFF")),
                arg("client-id", "integer").token("REDIRECT").optional(),
                arg("prefix", "string").token("PREFIX").optional().multiple().multipleToken(),
                arg("bcast", "pure-token").token("BCAST").optional(),
                arg("optin", "pure-token").token("OPTIN").optional(),
                arg("optout", "pure-token").token("OPTOUT").optional(),
                arg("noloop", "pure-token").token("NOLOOP").optional());
        client.sub("setname", 3, ClientCommands::setname).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "2.6.9", "Set the current connection name").complexity("O(1)")
            .args(arg("connection-name", "string"));
        client.sub("getname", 2, ClientCommands::getname).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "2.6.9", "Get the current connection name").complexity("O(1)");
        client.sub("caching", 3, ClientCommands::caching).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "6.0.0", "Instruct the server about tracking or not keys in the next request")
            .complexity("O(1)")
            .args(arg("mode", "oneof").of(
                    arg("yes", "pure-token").token("YES"),
                    arg("no", "pure-token").token("NO")));
        client.sub("no-evict", 3, ClientCommands::noEvict).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "7.0.0", "Set client eviction mode for the current connection").complexity("O(1)")
            .args(arg("enabled", "oneof").of(
                    arg("on", "pure-token").token("ON"),
                    arg("off", "pure-token").token("OFF")));
        client.sub("getredir", 2, ClientCommands::getredir).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "6.0.0", "Get tracking notifications redirection client ID if any")
            .complexity("O(1)");
        client.sub("reply", 3, ClientCommands::reply).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "3.2.0", "Instruct the server whether to reply to commands").complexity("O(1)")
            .args(arg("on_off_skip", "oneof").of(
                    arg("on", "pure-token").token("ON"),
                    arg("off", "pure-token").token("OFF"),
                    arg("skip", "pure-token").token("SKIP")));
        client.sub("pause", -3, ClientCommands::pause).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "2.9.50", "Stop processing commands from clients for some time")
            .complexity("O(1)")
            .args(arg("timeout", "integer"),
                arg("mode", "oneof").since("6.2.0").optional().of(
                    arg("write", "pure-token").token("WRITE"),
                    arg("all", "pure-token").token("ALL")))
            .history("6.2.0", "`CLIENT PAUSE WRITE` mode added along with the `mode` option.");
        client.sub("unpause", 2, ClientCommands::unpause).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "6.2.0", "Resume processing of clients that were paused")
            .complexity("O(N) Where N is the number of paused clients");
        client.sub("unblock", -3, ClientCommands::unblock).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "5.0.0", "Unblock a client blocked in a blocking command from a different connection")
            .complexity("O(log N) where N is the number of client connections")
            .args(arg("client-id", "integer"),
                arg("timeout_error", "oneof").optional().of(
                    arg("timeout", "pure-token").token("TIMEOUT"),
                    arg("error", "pure-token").token("ERROR")));
        client.sub("help", 2, ClientCommands::help).flags(Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "5.0.0", "Show helpful text about the different subcommands").complexity("O(1)");
        client.sub("info", 2, ClientCommands::info).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "6.2.0", "Returns information about the current client connection.").complexity("O(1)").tips("nondeterministic_output");
        client.sub("list", -2, ClientCommands::list).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "2.4.0", "Get the list of client connections").complexity("O(N) where N is the number of client connections").tips("nondeterministic_output")
            .args(arg("normal_master_replica_pubsub", "oneof").token("TYPE").since("5.0.0").optional().of(
                    arg("normal", "pure-token").token("NORMAL"),
                    arg("master", "pure-token").token("MASTER"),
                    arg("replica", "pure-token").token("REPLICA"),
                    arg("pubsub", "pure-token").token("PUBSUB")),
                arg("id", "block").token("ID").since("6.2.0").optional().of(
                    arg("client-id", "integer").multiple()))
            .history("2.8.12", "Added unique client `id` field.")
            .history("5.0.0", "Added optional `TYPE` filter.")
            .history("6.0.0", "Added `user` field.")
            .history("6.2.0", "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.")
            .history("7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields.")
            .history("7.0.3", "Added `ssub` field.");
        client.sub("setinfo", 4, ClientCommands::setinfo).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE).acl(Acl.CONNECTION)
            .doc("connection", "7.2.0", "Sets information specific to the client or connection.").complexity("O(1)")
            .args(arg("attr", "oneof").of(
                arg("libname", "string").token("LIB-NAME"),
                arg("libver", "string").token("LIB-VER")));
    }

    /** PING [message] */
    public static void ping(CommandContext c) {
        if (c.argc > 2) {
            c.reply.error("ERR wrong number of arguments for 'ping' command");
        } else if (c.client.subscribed() && c.reply.resp() == 2) {
            // In RESP2 Pub/Sub mode PING answers in the shape of a message.
            c.reply.array(2);
            c.reply.bulk("pong");
            c.reply.bulk(c.argc == 2 ? c.argv[1] : new byte[0]);
        } else if (c.argc == 2) {
            c.reply.bulk(c.argv[1]);
        } else {
            c.reply.raw(PONG);
        }
    }

    /** ECHO message */
    public static void echo(CommandContext c) {
        c.reply.bulk(c.argv[1]);
    }

    /** SELECT index */
    public static void select(CommandContext c) {
        long id = Args.intArg(c, 1, null);
        if (id < 0 || id >= c.keyspace().databases()) {
            c.reply.error(Errors.DB_RANGE);
            return;
        }
        c.client.select((int) id);
        c.reply.ok();
    }

    /** QUIT: +OK, then the connection closes. */
    public static void quit(CommandContext c) {
        c.reply.ok();
        c.client.closeAfterReply();
    }

    /** RESET: back to a fresh connection's state. */
    public static void reset(CommandContext c) {
        c.client.endMulti(); // discards a transaction and forgets watched keys
        c.server.pubsub().forget(c.client);
        c.server.tracking().disable(c.client);
        c.server.monitors().remove(c.client);
        c.client.monitor(false);
        c.client.select(0);
        c.reply.resp(2);
        c.client.name("");
        c.client.replyMode(Client.ReplyMode.ON);
        c.reply.enabled(true);
        c.client.user(c.server.users().defaultUser());
        c.client.authenticated(!c.server.requiresPass());
        c.reply.simple("RESET");
    }

    /** AUTH [username] password */
    public static void auth(CommandContext c) {
        if (c.argc > 3) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        if (c.argc == 2 && c.server.users().defaultUser().isNopass()) {
            c.reply.error("ERR AUTH <password> called without any password configured for the default user. "
                + "Are you sure your configuration is correct?");
            return;
        }
        String user = c.argc == 3 ? c.argBytes(1) : Users.DEFAULT;
        if (authenticate(c, user, c.argv[c.argc - 1])) {
            c.reply.ok();
        } else {
            c.reply.error("WRONGPASS invalid username-password pair or user is disabled.");
        }
    }

    /**
     * Checks a user's password and, when it opens the user, makes the connection that user
     * (Redis's ACLAuthenticateUser); a failure goes to the ACL log.
     */
    private static boolean authenticate(CommandContext c, String name, byte[] password) {
        User u = c.server.users().get(name);
        if (u != null && u.accepts(password)) {
            c.client.user(u);
            c.client.authenticated(true);
            return true;
        }
        AclCommands.log(c, AclLog.Reason.AUTH, c.client.inMulti() ? AclLog.Context.MULTI : AclLog.Context.TOPLEVEL,
            c.argBytes(0), name);
        return false;
    }

    /** HELLO [protover [AUTH username password] [SETNAME clientname]] */
    public static void hello(CommandContext c) {
        int ver = 0;
        int next = 1;
        if (c.argc >= 2) {
            long v = Args.longArg(c, next++, "ERR Protocol version is not an integer or out of range");
            if (v < 2 || v > 3) {
                c.reply.error("NOPROTO unsupported protocol version");
                return;
            }
            ver = (int) v;
        }
        // Options take effect one by one, as in Redis: an AUTH or SETNAME before a bad option stays done.
        for (int j = next; j < c.argc; j++) {
            int more = c.argc - 1 - j;
            if (c.argIs(j, "AUTH") && more >= 2) {
                if (!authenticate(c, c.argBytes(j + 1), c.argv[j + 2])) {
                    c.reply.error("WRONGPASS invalid username-password pair or user is disabled.");
                    return;
                }
                j += 2;
            } else if (c.argIs(j, "SETNAME") && more >= 1) {
                if (!ClientCommands.setName(c, c.arg(j + 1))) {
                    return;
                }
                j++;
            } else {
                c.reply.error("ERR Syntax error in HELLO option '" + c.quoted(j) + "'");
                return;
            }
        }
        if (!c.client.authenticated()) {
            c.reply.error("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                + "HELLO AUTH <user> <pass> option can be used to authenticate the client and select "
                + "the RESP protocol version at the same time");
            return;
        }
        if (ver != 0) {
            c.reply.resp(ver);
        }
        c.reply.map(7);
        c.reply.bulk("server");
        c.reply.bulk("redis");
        c.reply.bulk("version");
        c.reply.bulk(BuildInfo.REDIS_VERSION);
        c.reply.bulk("proto");
        c.reply.integer(c.reply.resp());
        c.reply.bulk("id");
        c.reply.integer(c.client.id());
        c.reply.bulk("mode");
        c.reply.bulk("standalone");
        c.reply.bulk("role");
        c.reply.bulk("master");
        c.reply.bulk("modules");
        c.reply.emptyArray();
    }
}
