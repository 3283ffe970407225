package dev.quokka.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * One Redis parameter, declared once in {@link Settings}: its name and aliases, its type and
 * bounds, its default, and whether CONFIG SET may change it. It validates a value with Redis 7.0's
 * error text ({@code config.c}), turns it into the canonical form CONFIG GET shows (memory in
 * bytes, booleans and choices lower-case) and into the typed value code reads.
 *
 * @param <T> the typed value: Boolean, Long, String, or an enum
 */
public final class Setting<T> {
    /** The kinds of value, as Redis's config.c has them. */
    public enum Kind { BOOL, INT, MEMORY, ENUM, STRING, SPECIAL }

    private final String name;
    private final List<String> aliases;
    private final Kind kind;
    private final boolean mutable;
    private final String defaultValue;
    private final long min;
    private final long max;
    private final List<String> choices;
    private final Function<String, String> check;
    private final Function<String, String> canonical;
    private final Function<String, T> typed;
    private final boolean words;
    private final boolean protectedConfig;
    private final boolean denyLoading;
    private final boolean hidden;
    private final boolean percent;
    private final BinaryOperator<String> merge;
    final int index;

    private Setting(Builder<T> b, int index) {
        this.name = b.name;
        this.aliases = List.copyOf(b.aliases);
        this.kind = b.kind;
        this.mutable = b.mutable;
        this.defaultValue = b.defaultValue;
        this.min = b.min;
        this.max = b.max;
        this.choices = b.choices;
        this.check = b.check;
        this.canonical = b.canonical;
        this.typed = b.typed;
        this.words = b.words;
        this.protectedConfig = b.protectedConfig;
        this.denyLoading = b.denyLoading;
        this.hidden = b.hidden;
        this.percent = b.percent;
        this.merge = b.merge;
        this.index = index;
    }

    public String name() {
        return name;
    }

    /** Older names that still work ({@code hash-max-ziplist-entries}). */
    public List<String> aliases() {
        return aliases;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether CONFIG SET may change it. */
    public boolean mutable() {
        return mutable;
    }

    /** The default, in canonical form. */
    public String defaultValue() {
        return defaultValue;
    }

    /** A list of words (bind, save, ...): a config file has them unquoted, as redis-server writes them. */
    public boolean words() {
        return words;
    }

    /**
     * A protected config (Redis's PROTECTED_CONFIG): CONFIG SET refuses it unless
     * {@code enable-protected-configs} allows it, so that a client cannot point files elsewhere.
     */
    public boolean protectedConfig() {
        return protectedConfig;
    }

    /** CONFIG SET refuses it with -LOADING while a dataset loads, async loading included (Redis's DENY_LOADING_CONFIG). */
    public boolean denyLoading() {
        return denyLoading;
    }

    /** Left out of CONFIG GET patterns (and CONFIG REWRITE); answered when asked for by name (Redis's HIDDEN_CONFIG). */
    public boolean hidden() {
        return hidden;
    }

    /**
     * The canonical value after CONFIG SET of {@code canonicalValue} over {@code current}: the value
     * itself, except for settings that change only the parts named ({@code client-output-buffer-limit}).
     */
    public String merge(String current, String canonicalValue) {
        return merge == null ? canonicalValue : merge.apply(current, canonicalValue);
    }

    /** Redis's error text for an invalid value (without the CONFIG SET prefix), or null when it is valid. */
    public String check(String value) {
        return switch (kind) {
            case BOOL -> value.equalsIgnoreCase("yes") || value.equalsIgnoreCase("no") ? null
                : "argument must be 'yes' or 'no'";
            case INT -> {
                long n;
                try {
                    n = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    yield "argument couldn't be parsed into an integer";
                }
                yield n < min || n > max ? "argument must be between " + min + " and " + max + " inclusive" : null;
            }
            case MEMORY -> {
                if (percent && value.length() > 1 && value.endsWith("%")) {
                    long pct = percentOf(value);
                    yield pct < 0 ? "argument must be a memory or percent value"
                        : pct > 100 ? "percentage argument must be less or equal to 100" : null;
                }
                long n = Memory.parse(value);
                if (n < 0) {
                    yield percent ? "argument must be a memory or percent value" : "argument must be a memory value";
                }
                yield n < min || n > max ? "argument must be between " + min + " and " + max + " inclusive" : null;
            }
            case ENUM -> choices.contains(value.toLowerCase(Locale.ROOT)) ? null
                : "argument(s) must be one of the following: " + String.join(", ", choices);
            case STRING -> null;
            case SPECIAL -> check.apply(value);
        };
    }

    /** The canonical form of a valid value, as CONFIG GET shows it. */
    public String canonical(String value) {
        return switch (kind) {
            case BOOL, ENUM -> value.toLowerCase(Locale.ROOT);
            case MEMORY -> percent && value.endsWith("%") ? percentOf(value) + "%" : Long.toString(Memory.parse(value));
            case INT, STRING -> canonical == null ? value : canonical.apply(value);
            case SPECIAL -> canonical.apply(value);
        };
    }

    /** The number before a trailing {@code %}, or -1 when it is not a non-negative integer. */
    private static long percentOf(String value) {
        try {
            long n = Long.parseLong(value.substring(0, value.length() - 1));
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The typed value of a canonical one. */
    T typed(String canonicalValue) {
        return typed.apply(canonicalValue);
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- declaration ----

    static Builder<Boolean> bool(String name, boolean def) {
        return new Builder<Boolean>(name, Kind.BOOL, def ? "yes" : "no", "yes"::equals);
    }

    static Builder<Long> integer(String name, long def, long min, long max) {
        Builder<Long> b = new Builder<>(name, Kind.INT, Long.toString(def), Long::valueOf);
        b.min = min;
        b.max = max;
        return b;
    }

    static Builder<Long> memory(String name, long def) {
        return new Builder<>(name, Kind.MEMORY, Long.toString(def),
            v -> v.endsWith("%") ? -Long.parseLong(v.substring(0, v.length() - 1)) : Long.valueOf(v));
    }

    /** A memory value within {@code [min, max]}, in bytes. */
    static Builder<Long> memory(String name, long def, long min, long max) {
        Builder<Long> b = memory(name, def);
        b.min = min;
        b.max = max;
        return b;
    }

    static Builder<String> string(String name, String def) {
        return new Builder<>(name, Kind.STRING, def, Function.identity());
    }

    /** A choice among fixed words, typed as the words themselves. */
    static Builder<String> choice(String name, String def, String... choices) {
        Builder<String> b = new Builder<>(name, Kind.ENUM, def, Function.identity());
        b.choices = List.of(choices);
        return b;
    }

    /** A choice among an enum's constants, spelled lower-case with '-' for '_'. */
    static <E extends Enum<E>> Builder<E> choice(String name, Class<E> type, E def) {
        Builder<E> b = new Builder<>(name, Kind.ENUM, spelling(def), v -> Enum.valueOf(type,
            v.toUpperCase(Locale.ROOT).replace('-', '_')));
        b.choices = Arrays.stream(type.getEnumConstants()).map(Setting::spelling).toList();
        return b;
    }

    /** A value with its own syntax: {@code check} returns the error text or null, {@code canonical} the form shown. */
    static <T> Builder<T> special(String name, String def, Function<String, String> check,
                                  Function<String, String> canonical, Function<String, T> typed) {
        Builder<T> b = new Builder<>(name, Kind.SPECIAL, def, typed);
        b.check = check;
        b.canonical = canonical;
        return b;
    }

    private static String spelling(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The fluent declaration of one setting; {@link Settings} registers it. */
    static final class Builder<T> {
        final String name;
        final Kind kind;
        final String defaultValue;
        final Function<String, T> typed;
        final ArrayList<String> aliases = new ArrayList<>();
        boolean mutable = true;
        boolean words;
        boolean protectedConfig;
        boolean denyLoading;
        boolean hidden;
        boolean percent;
        BinaryOperator<String> merge;
        long min = Long.MIN_VALUE;
        long max = Long.MAX_VALUE;
        List<String> choices = List.of();
        Function<String, String> check;
        Function<String, String> canonical;

        Builder(String name, Kind kind, String defaultValue, Function<String, T> typed) {
            this.name = name;
            this.kind = kind;
            this.defaultValue = defaultValue;
            this.typed = typed;
        }

        /** Only set at start: CONFIG SET refuses it. */
        Builder<T> immutable() {
            mutable = false;
            return this;
        }

        /** The value is a list of words, written unquoted in a config file. */
        Builder<T> words() {
            words = true;
            return this;
        }

        /** CONFIG SET refuses it unless {@code enable-protected-configs} allows (Redis's PROTECTED_CONFIG). */
        Builder<T> protectedConfig() {
            protectedConfig = true;
            return this;
        }

        /** CONFIG SET refuses it while a dataset loads ({@link Setting#denyLoading}). */
        Builder<T> denyLoading() {
            denyLoading = true;
            return this;
        }

        /**
         * A memory value that may also be a percentage of maxmemory ({@code 10%}), typed as the
         * negated percentage, as Redis's PERCENT_CONFIG stores it.
         */
        Builder<T> percent() {
            percent = true;
            return this;
        }

        /** A test-only parameter, left out of CONFIG GET patterns ({@link Setting#hidden}). */
        Builder<T> hidden() {
            hidden = true;
            return this;
        }

        /** CONFIG SET combines the new value with the current one ({@link Setting#merge}). */
        Builder<T> merging(BinaryOperator<String> f) {
            merge = f;
            return this;
        }

        Builder<T> alias(String alias) {
            aliases.add(alias);
            return this;
        }

        /** Canonical form of a valid INT or STRING value when it is not the value as given. */
        Builder<T> canonical(Function<String, String> f) {
            canonical = f;
            return this;
        }

        Setting<T> build(int index) {
            return new Setting<>(this, index);
        }
    }
}
