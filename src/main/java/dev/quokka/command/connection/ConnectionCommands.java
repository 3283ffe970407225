package dev.quokka.command.connection;

import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.Errors;
import dev.quokka.config.BuildInfo;
import dev.quokka.session.Client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The connection group: PING, ECHO, SELECT, AUTH, HELLO, QUIT, RESET. */
public final class ConnectionCommands {
    private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);

    private ConnectionCommands() {
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
        c.client.select(0);
        c.reply.resp(2);
        c.client.name("");
        c.client.replyMode(Client.ReplyMode.ON);
        c.reply.enabled(true);
        c.client.authenticated(!c.server.requiresPass());
        c.reply.simple("RESET");
    }

    /** AUTH [username] password */
    public static void auth(CommandContext c) {
        if (c.argc > 3) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        String user = c.argc == 3 ? c.arg(1) : "default";
        byte[] pass = c.argv[c.argc - 1];
        if (c.argc == 2 && !c.server.requiresPass()) {
            c.reply.error("ERR AUTH <password> called without any password configured for the default user. "
                + "Are you sure your configuration is correct?");
            return;
        }
        if (checkPassword(c, user, pass)) {
            c.client.authenticated(true);
            c.reply.ok();
        } else {
            c.reply.error("WRONGPASS invalid username-password pair or user is disabled.");
        }
    }

    /** The default user is the only one; with no requirepass it takes any password ("nopass"). */
    private static boolean checkPassword(CommandContext c, String user, byte[] pass) {
        if (!"default".equals(user)) {
            return false;
        }
        if (!c.server.requiresPass()) {
            return true;
        }
        byte[] expected = c.server.config().get("requirepass").getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, pass);
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
        String user = null;
        byte[] pass = null;
        String name = null;
        for (int j = next; j < c.argc; j++) {
            int more = c.argc - 1 - j;
            if (c.argIs(j, "AUTH") && more >= 2) {
                user = c.arg(j + 1);
                pass = c.argv[j + 2];
                j += 2;
            } else if (c.argIs(j, "SETNAME") && more >= 1) {
                name = c.arg(j + 1);
                j++;
            } else {
                c.reply.error("ERR Syntax error in HELLO option '" + c.arg(j) + "'");
                return;
            }
        }
        if (user != null) {
            if (!checkPassword(c, user, pass)) {
                c.reply.error("WRONGPASS invalid username-password pair or user is disabled.");
                return;
            }
            c.client.authenticated(true);
        }
        if (!c.client.authenticated()) {
            c.reply.error("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select "
                + "the RESP protocol version at the same time");
            return;
        }
        if (name != null && !ClientCommands.setName(c, name)) {
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
