package dev.quokka.command.acl;

import dev.quokka.acl.Selector;
import dev.quokka.acl.User;
import dev.quokka.acl.Users;
import dev.quokka.command.Acl;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.CommandTable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ACL rules as words (Redis 7.0's ACLSetUser and ACLSetSelector) applied to users and selectors,
 * and users described back as rules (ACLDescribeUser), against this server's command table.
 */
public final class AclRules {
    private final CommandTable table;
    /** Commands and subcommands by ACL id: each container before its subcommands, in declaration order. */
    private final List<CommandSpec> byId;

    public AclRules(CommandTable table, List<CommandSpec> byId) {
        this.table = table;
        this.byId = byId;
    }

    /** The rule's error, as ACLSetUserStringError words it. */
    static final class RuleError extends Exception {
        RuleError(String message) {
            super(message, null, false, false);
        }
    }

    private static final String UNKNOWN = "Unknown command or category name in ACL";
    private static final String SYNTAX = "Syntax error";

    /**
     * ACL SETUSER's rules applied to a staging copy of {@code existing} (or to a new user), all or
     * nothing: the changed user, or the error reply text.
     */
    public Object setUser(Users users, User existing, String name, List<String> rules, boolean allChannelsDefault) {
        List<String> merged = new ArrayList<>();
        String open = null;
        String openWord = null;
        for (String op : rules) {
            if (open == null && op.startsWith("(") && !op.endsWith(")")) {
                open = op;
                openWord = op;
                continue;
            }
            if (open != null) {
                open = open + " " + op;
                if (op.endsWith(")")) {
                    merged.add(open);
                    open = null;
                }
                continue;
            }
            merged.add(op);
        }
        if (open != null) {
            return "ERR Unmatched parenthesis in acl selector starting at '" + openWord + "'.";
        }
        User u = existing != null ? existing.copy() : users.blank(name, allChannelsDefault);
        for (String op : merged) {
            try {
                apply(users, u, op, allChannelsDefault);
            } catch (RuleError e) {
                return "ERR Error in ACL SETUSER modifier '" + op + "': " + e.getMessage();
            }
        }
        return u;
    }

    /** One user-level rule (ACLSetUser). */
    void apply(Users users, User u, String op, boolean allChannelsDefault) throws RuleError {
        if (op.isEmpty()) {
            return;
        }
        String l = op.toLowerCase(Locale.ROOT);
        switch (l) {
            case "on" -> u.enabled(true);
            case "off" -> u.enabled(false);
            case "skip-sanitize-payload" -> u.sanitizePayload(false);
            case "sanitize-payload" -> u.sanitizePayload(true);
            case "nopass" -> u.setNopass();
            case "resetpass" -> u.resetpass();
            case "clearselectors" -> u.clearSelectors();
            case "reset" -> {
                u.resetpass();
                selector(u.root(), "resetkeys");
                selector(u.root(), "resetchannels");
                if (allChannelsDefault) {
                    selector(u.root(), "allchannels");
                }
                u.enabled(false);
                u.sanitizePayload(true);
                u.clearSelectors();
                selector(u.root(), "-@all");
            }
            default -> {
                char c = op.charAt(0);
                if (c == '>' || c == '<') {
                    String hash = User.hash(op.substring(1).getBytes(StandardCharsets.ISO_8859_1));
                    password(u, c == '>', hash);
                } else if (c == '#' || c == '!') {
                    String hash = op.substring(1);
                    if (!User.validHash(hash)) {
                        throw new RuleError("The password hash must be exactly 64 characters and contain only "
                            + "lowercase hexadecimal characters");
                    }
                    password(u, c == '#', hash);
                } else if (c == '(' && op.endsWith(")")) {
                    Selector s = users.blankSelector(allChannelsDefault);
                    for (String w : splitArgs(op.substring(1, op.length() - 1))) {
                        selector(s, w);
                    }
                    u.addSelector(s);
                } else {
                    selector(u.root(), op);
                }
            }
        }
    }

    private static void password(User u, boolean add, String hash) throws RuleError {
        if (add) {
            u.addPasswordHash(hash);
        } else if (!u.removePasswordHash(hash)) {
            throw new RuleError("The password you are trying to remove from the user does not exist");
        }
    }

    /** One selector rule (ACLSetSelector). */
    void selector(Selector s, String op) throws RuleError {
        String l = op.toLowerCase(Locale.ROOT);
        switch (l) {
            case "allkeys", "~*" -> s.allKeys(true);
            case "resetkeys" -> s.allKeys(false);
            case "allchannels", "&*" -> s.allChannels(true);
            case "resetchannels" -> s.allChannels(false);
            case "allcommands", "+@all" -> s.allCommands(true);
            case "nocommands", "-@all" -> s.allCommands(false);
            default -> other(s, op);
        }
    }

    private void other(Selector s, String op) throws RuleError {
        char c = op.charAt(0);
        if (c == '~' || c == '%') {
            if (s.allKeys()) {
                throw new RuleError("Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and "
                    + "does not have any effect. Try 'resetkeys' to start with an empty list of patterns");
            }
            int flags = 0;
            int offset = 1;
            if (c == '%') {
                for (; offset < op.length(); offset++) {
                    char f = Character.toUpperCase(op.charAt(offset));
                    if (f == 'R' && (flags & Selector.READ) == 0) {
                        flags |= Selector.READ;
                    } else if (f == 'W' && (flags & Selector.WRITE) == 0) {
                        flags |= Selector.WRITE;
                    } else if (op.charAt(offset) == '~') {
                        offset++;
                        break;
                    } else {
                        throw new RuleError(SYNTAX);
                    }
                }
            } else {
                flags = Selector.READ | Selector.WRITE;
            }
            String pattern = offset <= op.length() ? op.substring(offset) : "";
            if (hasSpaces(pattern)) {
                throw new RuleError(SYNTAX);
            }
            s.addKey(pattern.getBytes(StandardCharsets.ISO_8859_1), flags);
        } else if (c == '&') {
            if (s.allChannels()) {
                throw new RuleError("Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid "
                    + "and does not have any effect. Try 'resetchannels' to start with an empty list of channels");
            }
            String pattern = op.substring(1);
            if (hasSpaces(pattern)) {
                throw new RuleError(SYNTAX);
            }
            s.addChannel(pattern.getBytes(StandardCharsets.ISO_8859_1));
        } else if ((c == '+' || c == '-') && op.length() > 1 && op.charAt(1) == '@') {
            int category = category(op.substring(2));
            if (category < 0) {
                throw new RuleError(UNKNOWN);
            }
            setCategory(s, category, c == '+');
        } else if (c == '+') {
            String name = op.substring(1);
            int bar = name.lastIndexOf('|');
            if (bar < 0) {
                change(s, command(name), true);
                return;
            }
            CommandSpec base = command(name.substring(0, bar));
            if (base.parent() != null) {
                throw new RuleError("Allowing first-arg of a subcommand is not supported");
            }
            String sub = name.substring(bar + 1);
            if (sub.isEmpty()) {
                throw new RuleError(SYNTAX);
            }
            if (base.isContainer()) {
                change(s, command(name), true);
            } else {
                s.allowFirstArg(base.aclId(), sub);
            }
        } else if (c == '-') {
            change(s, command(op.substring(1)), false);
        } else {
            throw new RuleError(SYNTAX);
        }
    }

    private CommandSpec command(String fullName) throws RuleError {
        CommandSpec spec = table.lookupFullName(fullName.toLowerCase(Locale.ROOT));
        if (spec == null) {
            throw new RuleError(UNKNOWN);
        }
        return spec;
    }

    /** A category's ordinal by name (any case), or -1 (ACLGetCommandCategoryFlagByName). */
    public static int category(String name) {
        for (Acl a : Acl.values()) {
            if (a.name().equalsIgnoreCase(name)) {
                return a.ordinal();
            }
        }
        return -1;
    }

    /** A command and, for a container, all its subcommands (ACLChangeSelectorPerm). */
    private static void change(Selector s, CommandSpec spec, boolean allow) {
        s.command(spec.aclId(), allow);
        if (spec.isContainer()) {
            for (CommandSpec sub : spec.subcommands().all()) {
                s.command(sub.aclId(), allow);
            }
        }
    }

    /** Every command in the category, containers with their subcommands, in table order. */
    private void setCategory(Selector s, int category, boolean allow) {
        for (CommandSpec spec : byId) {
            if ((spec.aclCategoryBits() & (1 << category)) != 0) {
                change(s, spec, allow);
            }
        }
    }

    private static boolean hasSpaces(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == 0) {
                return true;
            }
        }
        return false;
    }

    // ---- describing ----

    /** ACL LIST's line of a user, without "user name ". */
    public String describe(User u) {
        StringBuilder b = new StringBuilder();
        for (String f : u.flagNames()) {
            b.append(f).append(' ');
        }
        for (String p : u.passwords()) {
            b.append('#').append(p).append(' ');
        }
        for (Selector s : u.selectors()) {
            if (s.isRoot()) {
                b.append(describe(s));
            } else {
                b.append(" (").append(describe(s)).append(')');
            }
        }
        return b.toString();
    }

    /** Keys, channels and commands of a selector (ACLDescribeSelector). */
    String describe(Selector s) {
        StringBuilder b = new StringBuilder();
        if (s.allKeys()) {
            b.append("~* ");
        } else {
            for (Selector.KeyPattern p : s.keys()) {
                b.append(p.describe()).append(' ');
            }
        }
        if (s.allChannels()) {
            b.append("&* ");
        } else {
            b.append("resetchannels ");
            for (byte[] c : s.channels()) {
                b.append('&').append(new String(c, StandardCharsets.ISO_8859_1)).append(' ');
            }
        }
        return b.append(describeCommands(s)).toString();
    }

    /** ACL GETUSER's keys field: the patterns, or "~*". */
    static String keys(Selector s) {
        if (s.allKeys()) {
            return "~*";
        }
        List<String> l = new ArrayList<>();
        for (Selector.KeyPattern p : s.keys()) {
            l.add(p.describe());
        }
        return String.join(" ", l);
    }

    /** ACL GETUSER's channels field: "&a &b", or "&*". */
    static String channels(Selector s) {
        if (s.allChannels()) {
            return "&*";
        }
        List<String> l = new ArrayList<>();
        for (byte[] c : s.channels()) {
            l.add("&" + new String(c, StandardCharsets.ISO_8859_1));
        }
        return String.join(" ", l);
    }

    /**
     * The shortest rules Redis's ACLDescribeSelectorCommandRules finds for a selector's commands:
     * +@all or -@all, then greedily the category that fits best, then single commands (and allowed
     * first arguments), replayed on a scratch selector that must end equal to the real one.
     */
    String describeCommands(Selector s) {
        StringBuilder rules = new StringBuilder();
        boolean additive = !s.futureCommands();
        Selector fake = scratch(s);
        fake.allCommands(!additive);
        rules.append(additive ? "-@all " : "+@all ");
        Selector temp = scratch(s);
        System.arraycopy(s.commandBits(), 0, temp.commandBits(), 0, s.commandBits().length);
        boolean[] applied = new boolean[Acl.values().length];
        while (true) {
            int best = -1;
            long mindiff = Integer.MAX_VALUE;
            long maxsame = 0;
            for (Acl a : Acl.values()) {
                if (applied[a.ordinal()]) {
                    continue;
                }
                long on = 0;
                long off = 0;
                for (CommandSpec spec : byId) {
                    if ((spec.aclCategoryBits() & (1 << a.ordinal())) != 0) {
                        if (temp.command(spec.aclId())) {
                            on++;
                        } else {
                            off++;
                        }
                    }
                }
                long diff = additive ? off : on;
                long same = additive ? on : off;
                if (same > diff && (diff < mindiff || (diff == mindiff && same > maxsame))) {
                    best = a.ordinal();
                    mindiff = diff;
                    maxsame = same;
                }
            }
            if (best < 0) {
                break;
            }
            setCategory(fake, best, additive);
            setCategory(temp, best, !additive);
            rules.append(additive ? "+@" : "-@").append(Acl.values()[best].name().toLowerCase(Locale.ROOT)).append(' ');
            applied[best] = true;
        }
        for (CommandSpec spec : byId) {
            int id = spec.aclId();
            boolean user = s.command(id);
            if (user != fake.command(id)) {
                rules.append(user ? '+' : '-').append(spec.fullName()).append(' ');
                change(fake, spec, user);
            }
            if (!user) {
                for (String arg : s.firstArgs(id)) {
                    rules.append('+').append(spec.fullName()).append('|').append(arg).append(' ');
                }
            }
        }
        rules.setLength(rules.length() - 1);
        return rules.toString();
    }

    private static Selector scratch(Selector like) {
        return like.scratch();
    }

    /** Splits a selector's words like Redis's sdssplitargs (blanks separate, quotes group). */
    static List<String> splitArgs(String line) {
        return dev.quokka.config.LaunchArguments.words(line);
    }
}
