package dev.quokka.command;

import dev.quokka.protocol.RespWriter;

import java.util.List;

/**
 * One argument of a command as COMMAND DOCS describes it (redis-cli 7.0 builds its hints and HELP
 * from these): name, type ({@code key}, {@code string}, {@code integer}, {@code double},
 * {@code pattern}, {@code unix-time}, {@code pure-token}, {@code oneof}, {@code block}), the index
 * of its key spec, its token, the version it came in, its flags and, for {@code oneof} and
 * {@code block}, the arguments inside. Declared with {@link #arg} beside each command.
 */
public final class ArgumentDoc {
    private final String name;
    private final String type;
    private int keySpecIndex = -1;
    private String token;
    private String since;
    private boolean optional;
    private boolean multiple;
    private boolean multipleToken;
    private String deprecatedSince;
    private List<ArgumentDoc> arguments;

    private ArgumentDoc(String name, String type) {
        this.name = name;
        this.type = type;
    }

    /** An argument called {@code name} of {@code type}. */
    public static ArgumentDoc arg(String name, String type) {
        return new ArgumentDoc(name, type);
    }

    /** A key argument: the index of the key spec that finds it. */
    public ArgumentDoc keySpec(int index) {
        keySpecIndex = index;
        return this;
    }

    public ArgumentDoc token(String t) {
        token = t;
        return this;
    }

    public ArgumentDoc since(String version) {
        since = version;
        return this;
    }

    public ArgumentDoc optional() {
        optional = true;
        return this;
    }

    public ArgumentDoc multiple() {
        multiple = true;
        return this;
    }

    /** The token repeats with each value ({@code GET pattern [GET pattern ...]}). */
    public ArgumentDoc multipleToken() {
        multipleToken = true;
        return this;
    }

    public ArgumentDoc deprecatedSince(String version) {
        deprecatedSince = version;
        return this;
    }

    /** The arguments of a {@code oneof} or a {@code block}. */
    public ArgumentDoc of(ArgumentDoc... args) {
        arguments = List.of(args);
        return this;
    }

    /** Writes this argument as a COMMAND DOCS map, fields in Redis 7.0's order. */
    public void write(RespWriter w) {
        int flags = (optional ? 1 : 0) + (multiple ? 1 : 0) + (multipleToken ? 1 : 0);
        int fields = 2 + (keySpecIndex >= 0 ? 1 : 0) + (token != null ? 1 : 0) + (since != null ? 1 : 0)
            + (flags > 0 ? 1 : 0) + (deprecatedSince != null ? 1 : 0) + (arguments != null ? 1 : 0);
        w.map(fields);
        w.bulk("name");
        w.bulk(name);
        w.bulk("type");
        w.bulk(type);
        if (keySpecIndex >= 0) {
            w.bulk("key_spec_index");
            w.integer(keySpecIndex);
        }
        if (token != null) {
            w.bulk("token");
            w.bulk(token);
        }
        if (since != null) {
            w.bulk("since");
            w.bulk(since);
        }
        if (flags > 0) {
            w.bulk("flags");
            w.set(flags);
            if (optional) {
                w.simple("optional");
            }
            if (multiple) {
                w.simple("multiple");
            }
            if (multipleToken) {
                w.simple("multiple_token");
            }
        }
        if (deprecatedSince != null) {
            w.bulk("deprecated_since");
            w.bulk(deprecatedSince);
        }
        if (arguments != null) {
            w.bulk("arguments");
            w.array(arguments.size());
            for (ArgumentDoc a : arguments) {
                a.write(w);
            }
        }
    }
}
