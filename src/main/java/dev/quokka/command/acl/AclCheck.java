package dev.quokka.command.acl;

import dev.quokka.acl.AclLog;
import dev.quokka.acl.Selector;
import dev.quokka.acl.User;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;

import java.util.List;

/**
 * Whether a user may run a request (Redis 7.0's ACLCheckAllUserCommandPerm): one selector must
 * allow the command (or its first argument), every key with the access its key spec declares
 * (read for {@code access}, write for {@code insert}, {@code update} and {@code delete}), and
 * every channel it publishes or subscribes to.
 */
public final class AclCheck {
    private AclCheck() {
    }

    /** Why a request is refused and which argument (a key or channel) caused it. */
    public record Denial(AclLog.Reason reason, int pos) {
    }

    /**
     * Null when allowed; otherwise the most relevant denial over the selectors, as Redis picks it.
     * A connection without a user (the append-only file's loader) may run anything, as in Redis.
     */
    public static Denial check(User u, CommandSpec spec, byte[][] argv, int argc) {
        if (u == null || u.unrestricted()) {
            return null;
        }
        AclLog.Reason worst = AclLog.Reason.COMMAND;
        int worstPos = 0;
        List<CommandSpec.KeyRef> keys = null;
        int fixed = spec.fixedKeyAccess();
        for (Selector s : u.selectors()) {
            Denial d;
            if (!commandAllowed(s, spec, argv, argc)) {
                d = new Denial(AclLog.Reason.COMMAND, 0);
            } else if (fixed >= 0 && !s.allKeys()) {
                // Keys at fixed positions with fixed flags (GET, SET without GET, MSET ...): no list built.
                int pos = fixedKeysDenied(s, spec, argv, argc, fixed);
                d = pos > 0 ? new Denial(AclLog.Reason.KEY, pos) : keysAndChannels(s, spec, argv, argc, null);
                if (d == null) {
                    return null;
                }
            } else {
                if (!s.allKeys() && spec.hasKeys() && keys == null) {
                    keys = spec.keysWithFlags(argv, argc);
                }
                d = keysAndChannels(s, spec, argv, argc, keys);
                if (d == null) {
                    return null;
                }
            }
            if (rank(d.reason()) > rank(worst) || (d.reason() == worst && d.pos() > worstPos)) {
                worst = d.reason();
                worstPos = d.pos();
            }
        }
        return new Denial(worst, worstPos);
    }

    /** Redis's ACL_DENIED_* values: a channel denial outranks a key one, which outranks a command one. */
    private static int rank(AclLog.Reason r) {
        return switch (r) {
            case COMMAND -> 1;
            case KEY -> 2;
            case AUTH -> 3;
            case CHANNEL -> 4;
        };
    }

    /** The position of the first key at the legacy positions the selector does not allow, or 0. */
    private static int fixedKeysDenied(Selector s, CommandSpec spec, byte[][] argv, int argc, int needs) {
        int last = spec.lastKey() >= 0 ? spec.lastKey() : argc + spec.lastKey();
        for (int i = spec.firstKey(); i <= last && i < argc; i += spec.keyStep()) {
            if (!s.key(argv[i], needs)) {
                return i;
            }
        }
        return 0;
    }

    private static boolean commandAllowed(Selector s, CommandSpec spec, byte[][] argv, int argc) {
        if (s.allCommands() || spec.has(Flag.NO_AUTH) || s.command(spec.aclId())) {
            return true;
        }
        List<String> first = s.firstArgs(spec.aclId());
        if (argc < 2 || first.isEmpty()) {
            return false;
        }
        int idx = spec.parent() != null ? 2 : 1;
        if (idx >= argc) {
            return false;
        }
        String arg = new String(argv[idx], java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String a : first) {
            if (a.equalsIgnoreCase(arg)) {
                return true;
            }
        }
        return false;
    }

    private static Denial keysAndChannels(Selector s, CommandSpec spec, byte[][] argv, int argc,
                                          List<CommandSpec.KeyRef> keys) {
        if (!s.allKeys() && keys != null) {
            for (CommandSpec.KeyRef k : keys) {
                if (!s.key(argv[k.pos()], KeySpec.access(k.flags()))) {
                    return new Denial(AclLog.Reason.KEY, k.pos());
                }
            }
        }
        if (!s.allChannels()) {
            String name = spec.fullName();
            switch (name) {
                case "publish", "spublish" -> {
                    if (argc > 1 && !s.channel(argv[1], false)) {
                        return new Denial(AclLog.Reason.CHANNEL, 1);
                    }
                }
                case "subscribe", "ssubscribe", "psubscribe" -> {
                    boolean pattern = name.equals("psubscribe");
                    for (int i = 1; i < argc; i++) {
                        if (!s.channel(argv[i], pattern)) {
                            return new Denial(AclLog.Reason.CHANNEL, i);
                        }
                    }
                }
                default -> {
                }
            }
        }
        return null;
    }

    /** Whether some selector allows the command with unrestricted key access of these needs (SORT BY/GET). */
    public static boolean everyKey(User u, CommandSpec spec, byte[][] argv, int argc, int needs) {
        if (u == null || u.unrestricted()) {
            return true;
        }
        List<CommandSpec.KeyRef> keys = spec.hasKeys() ? spec.keysWithFlags(argv, argc) : null;
        for (Selector s : u.selectors()) {
            if (commandAllowed(s, spec, argv, argc) && keysAndChannels(s, spec, argv, argc, keys) == null
                && s.everyKey(needs)) {
                return true;
            }
        }
        return false;
    }

    /** The NOPERM reply of a refused request (Redis's processCommand). */
    public static String error(Denial d, CommandSpec spec) {
        return switch (d.reason()) {
            case COMMAND -> "NOPERM this user has no permissions to run the '" + spec.fullName() + "' command";
            case KEY -> "NOPERM this user has no permissions to access one of the keys used as arguments";
            case CHANNEL -> "NOPERM this user has no permissions to access one of the channels used as arguments";
            case AUTH -> "NOPERM no permission";
        };
    }

    /** Redis's getAclErrorMessage, for scripts ("The user executing the script ..."). */
    public static String reason(Denial d) {
        return switch (d.reason()) {
            case COMMAND -> "can't run this command or subcommand";
            case KEY -> "can't access at least one of the keys mentioned in the command arguments";
            case CHANNEL -> "can't publish to the channel mentioned in the command";
            case AUTH -> "lacking the permissions for the command";
        };
    }

    /** The ACL LOG object of a denial: the command's full name, or the key or channel. */
    public static String object(Denial d, CommandSpec spec, byte[][] argv) {
        return d.reason() == AclLog.Reason.COMMAND ? spec.fullName()
            : new String(argv[d.pos()], java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
