package dev.quokka.acl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * The server's ACL users, by name in byte order (Redis keeps them in a radix tree, so ACL LIST and
 * ACL USERS are sorted), with the {@code default} user every connection starts as, and the ACL log.
 * Keyspace context only.
 */
public final class Users {
    public static final String DEFAULT = "default";

    private final TreeMap<String, User> users = new TreeMap<>();
    private final int commandCount;
    private final AclLog log = new AclLog();

    /** {@code commandCount}: the command ids the command table assigned (a bit each). */
    public Users(int commandCount) {
        this.commandCount = commandCount;
        User d = new User(DEFAULT, commandCount, true);
        d.root().allCommands(true);
        d.root().allKeys(true);
        d.root().allChannels(true);
        d.enabled(true);
        d.setNopass();
        d.computeUnrestricted();
        users.put(DEFAULT, d);
    }

    public int commandCount() {
        return commandCount;
    }

    public User get(String name) {
        return users.get(name);
    }

    public User defaultUser() {
        return users.get(DEFAULT);
    }

    public Collection<User> all() {
        return Collections.unmodifiableCollection(users.values());
    }

    /** A user with no rights yet (off, no passwords, {@code -@all}), not registered: what rules are staged on. */
    public User blank(String name, boolean allChannels) {
        return new User(name, commandCount, allChannels);
    }

    /** A selector with no rights, for a {@code (...)} rule. */
    public Selector blankSelector(boolean allChannels) {
        return new Selector(false, commandCount, allChannels);
    }

    /**
     * Registers a new user, or gives an existing one a changed copy's rights in place (connections
     * authenticated as it hold it, and see the change at their next command, as in Redis).
     *
     * @return the registered user
     */
    public User replace(User u) {
        User existing = users.get(u.name());
        if (existing != null && existing != u) {
            existing.assign(u);
            return existing;
        }
        u.computeUnrestricted();
        users.put(u.name(), u);
        return u;
    }

    public User remove(String name) {
        return users.remove(name);
    }

    /** Removes every user but {@code default} and resets nothing else (ACL LOAD then adds the file's). */
    public List<User> clearExceptDefault() {
        List<User> gone = new ArrayList<>();
        users.entrySet().removeIf(e -> {
            if (e.getKey().equals(DEFAULT)) {
                return false;
            }
            gone.add(e.getValue());
            return true;
        });
        return gone;
    }

    public AclLog log() {
        return log;
    }

    /**
     * requirepass: the default user's password, or nopass when empty (Redis's
     * ACLUpdateDefaultUserPassword).
     */
    public void defaultPassword(String password) {
        User d = defaultUser();
        d.resetpass();
        if (password.isEmpty()) {
            d.setNopass();
        } else {
            // Settings hold text decoded from UTF-8 (CONFIG SET's arguments, the config file).
            d.addPasswordHash(User.hash(password.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    /** Whether a new connection must AUTH first: the default user has a password or is off (Redis's authRequired). */
    public boolean authRequired() {
        User d = defaultUser();
        return !d.isNopass() || !d.enabled();
    }
}
