package dev.quokka.acl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An ACL user (Redis 7.0): its name, on/off, nopass, its passwords as SHA-256 hex hashes, the
 * payload-sanitizing flag, and its selectors (the root one first). ACL SETUSER applies its rules
 * to a copy and, when every rule was valid, {@link Users#replace} gives the registered user the
 * copy's rights in place.
 */
public final class User {
    private final String name;
    boolean enabled;
    boolean nopass;
    /** Redis's skip-sanitize-payload / sanitize-payload flags: null until either is given (or reset). */
    Boolean sanitizePayload;
    final List<String> passwords = new ArrayList<>();
    final List<Selector> selectors = new ArrayList<>();
    /** Whether the user may run every command on every key and channel (the dispatcher then checks nothing). */
    private boolean unrestricted;

    User(String name, int commandCount, boolean allChannels) {
        this.name = name;
        selectors.add(new Selector(true, commandCount, allChannels));
    }

    /** A user with nothing yet: {@link #assign} gives it its flags, passwords and selectors. */
    private User(String name) {
        this.name = name;
    }

    /** A copy to apply rules to. */
    public User copy() {
        return named(name);
    }

    /** This user's permissions under another name (ACL SETUSER stages a new user's rules on an unnamed copy). */
    public User named(String newName) {
        User u = new User(newName);
        u.assign(this);
        return u;
    }

    /** Takes another user's flags, passwords and selectors (Redis's ACLCopyUser). */
    void assign(User o) {
        enabled = o.enabled;
        nopass = o.nopass;
        sanitizePayload = o.sanitizePayload;
        passwords.clear();
        passwords.addAll(o.passwords);
        selectors.clear();
        for (Selector s : o.selectors) {
            selectors.add(s.copy());
        }
        computeUnrestricted();
    }

    public String name() {
        return name;
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean isNopass() {
        return nopass;
    }

    public List<String> passwords() {
        return passwords;
    }

    public List<Selector> selectors() {
        return selectors;
    }

    public Selector root() {
        return selectors.get(0);
    }

    /** Every command, key and channel, with no selector needed: no check at all on the hot path. */
    public boolean unrestricted() {
        return unrestricted;
    }

    void computeUnrestricted() {
        Selector r = root();
        unrestricted = r.allCommands && r.allKeys && r.allChannels;
    }

    // ---- flags and passwords (ACLSetUser's user-level rules) ----

    public void enabled(boolean on) {
        enabled = on;
    }

    public void setNopass() {
        nopass = true;
        passwords.clear();
    }

    public void resetpass() {
        nopass = false;
        passwords.clear();
    }

    public void sanitizePayload(boolean sanitize) {
        sanitizePayload = sanitize;
    }

    /** Adds a hash once and clears nopass. */
    public void addPasswordHash(String hash) {
        if (!passwords.contains(hash)) {
            passwords.add(hash);
        }
        nopass = false;
    }

    /** Removes a hash; false when the user has no such password (Redis's ENODEV). */
    public boolean removePasswordHash(String hash) {
        return passwords.remove(hash);
    }

    public void clearSelectors() {
        selectors.subList(1, selectors.size()).clear();
    }

    public void addSelector(Selector s) {
        selectors.add(s);
    }

    /** Whether this password opens the user: on, and nopass or a matching hash (compared in constant time). */
    public boolean accepts(byte[] password) {
        if (!enabled) {
            return false;
        }
        if (nopass) {
            return true;
        }
        byte[] h = hash(password).getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String p : passwords) {
            ok |= MessageDigest.isEqual(h, p.getBytes(StandardCharsets.US_ASCII));
        }
        return ok;
    }

    /** The flags as ACL GETUSER and ACL LIST name them, in Redis's order. */
    public List<String> flagNames() {
        List<String> out = new ArrayList<>();
        out.add(enabled ? "on" : "off");
        if (nopass) {
            out.add("nopass");
        }
        if (sanitizePayload != null) {
            out.add(sanitizePayload ? "sanitize-payload" : "skip-sanitize-payload");
        }
        return out;
    }

    /** SHA-256 of a password, lower-case hex (Redis's ACLHashPassword). */
    public static String hash(byte[] password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a {@code #hash} is 64 lower-case hex digits (ACLCheckPasswordHash). */
    public static boolean validHash(String h) {
        if (h.length() != 64) {
            return false;
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
