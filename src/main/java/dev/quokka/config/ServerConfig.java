package dev.quokka.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The values of every {@link Settings} parameter for one server: canonical strings for CONFIG
 * GET and typed values for code, and the subscribers of each (any number) that apply a change.
 * Only the keyspace context changes it.
 */
public final class ServerConfig {
    private final String[] values = new String[Settings.count()];
    private final Object[] typed = new Object[Settings.count()];
    @SuppressWarnings("unchecked")
    private final List<Consumer<Object>>[] subscribers = new List[Settings.count()];
    private final Runnable[] groupAppliers = new Runnable[Settings.count()];

    /** Every setting at its default. */
    public ServerConfig() {
        for (Setting<?> s : Settings.all()) {
            store(s, s.canonical(s.defaultValue()));
        }
    }

    /**
     * The configuration given at start: {@code directives} (name or alias, value) in order, later
     * ones winning, over the defaults; immutable settings may be given here.
     *
     * @throws IllegalArgumentException naming the directive, with Redis's reason, for an unknown
     *                                  name or an invalid value
     */
    public static ServerConfig of(Map<String, String> directives) {
        check(directives);
        ServerConfig c = new ServerConfig();
        directives.forEach((name, value) -> {
            Setting<?> s = Settings.named(name);
            c.store(s, s.canonical(value));
        });
        return c;
    }

    /** Fails, as redis-server does at start, on a directive that is unknown or whose value is invalid. */
    public static void check(Map<String, String> directives) {
        for (Map.Entry<String, String> d : directives.entrySet()) {
            if (d.getKey().equals(LaunchArguments.USER) || d.getKey().equals(LaunchArguments.RENAME_COMMAND)) {
                continue; // ACL users and renamed commands: checked when the server applies them
            }
            Setting<?> s = Settings.named(d.getKey());
            String err = s == null ? "Bad directive or wrong number of arguments" : s.check(d.getValue());
            if (err != null) {
                // redis-server's two lines: the directive as read, then the reason
                throw new IllegalArgumentException(">>> '" + d.getKey() + " \"" + d.getValue() + "\"'\n" + err);
            }
        }
    }

    private void store(Setting<?> s, String canonical) {
        values[s.index] = canonical;
        typed[s.index] = s.typed(canonical);
    }

    /** The typed value. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> s) {
        return (T) typed[s.index];
    }

    /** An INT setting's value as an int (those whose bounds fit one). */
    public int getInt(Setting<Long> s) {
        return (int) (long) get(s);
    }

    /** The canonical value, as CONFIG GET shows it. */
    public String value(Setting<?> s) {
        return values[s.index];
    }

    /** Calls {@code listener} with the new value each time {@code s} changes (CONFIG SET); any number of them. */
    @SuppressWarnings("unchecked")
    public <T> void onChange(Setting<T> s, Consumer<T> listener) {
        if (subscribers[s.index] == null) {
            subscribers[s.index] = new ArrayList<>(2);
        }
        subscribers[s.index].add((Consumer<Object>) listener);
    }

    /**
     * CONFIG SET of several pairs, all or nothing: every pair is checked before any is applied.
     *
     * @param local whether the client is on the loopback interface ({@code enable-protected-configs local})
     * @param loading whether a dataset is loading (settings that deny it are refused with -LOADING)
     * @return null on success, or the whole error text
     */
    public String set(List<String[]> pairs, boolean local, boolean loading) {
        List<Setting<?>> targets = new ArrayList<>();
        List<String> canon = new ArrayList<>();
        for (String[] kv : pairs) {
            Setting<?> s = Settings.named(kv[0]);
            if (s == null) {
                return "ERR Unknown option or number of arguments for CONFIG SET - '" + kv[0] + "'";
            }
            if (targets.contains(s)) {
                return "ERR CONFIG SET failed (possibly related to argument '" + kv[0] + "') - duplicate parameter";
            }
            if (!s.mutable()) {
                return "ERR CONFIG SET failed (possibly related to argument '" + kv[0] + "') - can't set immutable config";
            }
            if (s.protectedConfig() && !allowed(get(Settings.ENABLE_PROTECTED_CONFIGS), local)) {
                return "ERR CONFIG SET failed (possibly related to argument '" + kv[0] + "') - can't set protected config";
            }
            if (loading && s.denyLoading()) {
                return "LOADING Redis is loading the dataset in memory";
            }
            String err = s.check(kv[1]);
            if (err != null) {
                return "ERR CONFIG SET failed (possibly related to argument '" + kv[0] + "') - " + err;
            }
            targets.add(s);
            canon.add(s.merge(values[s.index], s.canonical(kv[1])));
        }
        String[] before = new String[targets.size()];
        for (int i = 0; i < targets.size(); i++) {
            Setting<?> s = targets.get(i);
            before[i] = values[s.index];
            try {
                apply(s, canon.get(i));
            } catch (ApplyError e) {
                // Redis's apply phase: a setting that cannot take effect undoes every one of this CONFIG SET.
                for (int j = i; j >= 0; j--) {
                    try {
                        apply(targets.get(j), before[j]);
                    } catch (ApplyError ignored) {
                        store(targets.get(j), before[j]);
                    }
                }
                return "ERR CONFIG SET failed (possibly related to argument '" + pairs.get(i)[0] + "') - " + e.getMessage();
            }
        }
        // Appliers of several settings run once, after all of them took their new values (Redis's
        // apply functions): a certificate and its key change together.
        java.util.Map<Runnable, String> appliers = new java.util.LinkedHashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            Runnable a = groupAppliers[targets.get(i).index];
            if (a != null) {
                appliers.putIfAbsent(a, pairs.get(i)[0]);
            }
        }
        for (java.util.Map.Entry<Runnable, String> a : appliers.entrySet()) {
            try {
                a.getKey().run();
            } catch (ApplyError e) {
                for (int j = targets.size() - 1; j >= 0; j--) {
                    try {
                        apply(targets.get(j), before[j]);
                    } catch (ApplyError ignored) {
                        store(targets.get(j), before[j]);
                    }
                }
                for (Runnable undo : appliers.keySet()) {
                    try {
                        undo.run();
                    } catch (ApplyError ignored) {
                        // the old values applied before; nothing better to go back to
                    }
                }
                return "ERR CONFIG SET failed (possibly related to argument '" + a.getValue() + "') - " + e.getMessage();
            }
        }
        return null;
    }

    /**
     * Runs {@code apply} once per CONFIG SET that changes any of {@code settings}, after every new
     * value is in place; an {@link ApplyError} rolls the whole CONFIG SET back.
     */
    public void onChangeOfAny(List<Setting<?>> settings, Runnable apply) {
        for (Setting<?> s : settings) {
            groupAppliers[s.index] = apply;
        }
    }

    /** Thrown by a change listener when the new value cannot take effect (a port in use): CONFIG SET rolls back. */
    public static final class ApplyError extends RuntimeException {
        public ApplyError(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether a switch such as {@code enable-debug-command} allows the action for a client (local: on loopback). */
    public boolean allows(Setting<String> aSwitch, boolean local) {
        return allowed(get(aSwitch), local);
    }

    /** Redis's {@code enable-protected-configs}-style switch: "yes", or "local" for a loopback client. */
    private static boolean allowed(String switchValue, boolean local) {
        return switchValue.equals("yes") || switchValue.equals("local") && local;
    }

    /** Sets a value decided by the server itself (the container default of maxmemory), subscribers called. */
    public <T> void setInternally(Setting<T> s, String value) {
        String err = s.check(value);
        if (err != null) {
            throw new IllegalArgumentException(s.name() + ": " + err);
        }
        apply(s, s.canonical(value));
    }

    private void apply(Setting<?> s, String canonical) {
        store(s, canonical);
        List<Consumer<Object>> subs = subscribers[s.index];
        if (subs != null) {
            for (Consumer<Object> l : subs) {
                l.accept(typed[s.index]);
            }
        }
    }
}
