package dev.quokka.command;

import dev.quokka.acl.Selector;
import dev.quokka.protocol.RespWriter;

import java.util.List;

/**
 * One key specification of a command, as Redis 7.0 declares it and COMMAND INFO shows it: how
 * the first key is found (an index, or a keyword searched from an index), how the keys after it
 * are found (a range, or a count argument), the access flags, and Redis's note where it has one.
 *
 * @param notes null, or Redis's note on the spec
 * @param flags {@code RW}/{@code RO}/{@code OW}/{@code RM} and the access kinds, as Redis spells them
 */
public record KeySpec(String notes, List<String> flags, Begin begin, Find find) {
    /** {@link #access} bit: the keys' values are read ({@code access}); an ACL {@code %R~} pattern grants it. */
    public static final int READ = Selector.READ;
    /** {@link #access} bit: the keys are written ({@code insert}, {@code update}, {@code delete}); {@code %W~} grants it. */
    public static final int WRITE = Selector.WRITE;

    /** What key spec flags say keys are used for: {@link #READ} | {@link #WRITE} (ACL key permissions). */
    public static int access(List<String> flags) {
        return (flags.contains("access") ? READ : 0)
            | (flags.contains("insert") || flags.contains("update") || flags.contains("delete") ? WRITE : 0);
    }

    /** Where the search for keys begins. */
    public sealed interface Begin permits Index, Keyword, UnknownBegin {
    }

    /** How the keys are found from there. */
    public sealed interface Find permits Range, Keynum, UnknownFind {
    }

    /** The first key is at this argument index. */
    public record Index(int index) implements Begin {
    }

    /** The first key follows {@code keyword}, searched from {@code startfrom} (negative: from the end). */
    public record Keyword(String keyword, int startfrom) implements Begin {
    }

    /** The keys cannot be found from the arguments' positions. */
    public record UnknownBegin() implements Begin {
    }

    /** Keys up to {@code lastkey} (relative; negative: from the end) every {@code keystep}, limited. */
    public record Range(int lastkey, int keystep, int limit) implements Find {
    }

    /** A count of keys at {@code keynumidx}, the first at {@code firstkey}, every {@code keystep}. */
    public record Keynum(int keynumidx, int firstkey, int keystep) implements Find {
    }

    /** Not known from the arguments. */
    public record UnknownFind() implements Find {
    }

    public static Begin index(int i) {
        return new Index(i);
    }

    public static Begin keyword(String keyword, int startfrom) {
        return new Keyword(keyword, startfrom);
    }

    public static Begin unknownBegin() {
        return new UnknownBegin();
    }

    public static Find range(int lastkey, int keystep, int limit) {
        return new Range(lastkey, keystep, limit);
    }

    public static Find keynum(int keynumidx, int firstkey, int keystep) {
        return new Keynum(keynumidx, firstkey, keystep);
    }

    public static Find unknownFind() {
        return new UnknownFind();
    }

    /** Writes the spec as COMMAND INFO does. */
    public void write(RespWriter w) {
        w.map(notes == null ? 3 : 4);
        if (notes != null) {
            w.bulk("notes");
            w.bulk(notes);
        }
        w.bulk("flags");
        w.set(flags.size());
        for (String f : flags) {
            w.simple(f);
        }
        w.bulk("begin_search");
        w.map(2);
        w.bulk("type");
        if (begin instanceof Index i) {
            w.bulk("index");
            w.bulk("spec");
            w.map(1);
            w.bulk("index");
            w.integer(i.index());
        } else if (begin instanceof Keyword k) {
            w.bulk("keyword");
            w.bulk("spec");
            w.map(2);
            w.bulk("keyword");
            w.bulk(k.keyword());
            w.bulk("startfrom");
            w.integer(k.startfrom());
        } else {
            w.bulk("unknown");
            w.bulk("spec");
            w.map(0);
        }
        w.bulk("find_keys");
        w.map(2);
        w.bulk("type");
        if (find instanceof Range r) {
            w.bulk("range");
            w.bulk("spec");
            w.map(3);
            w.bulk("lastkey");
            w.integer(r.lastkey());
            w.bulk("keystep");
            w.integer(r.keystep());
            w.bulk("limit");
            w.integer(r.limit());
        } else if (find instanceof Keynum k) {
            w.bulk("keynum");
            w.bulk("spec");
            w.map(3);
            w.bulk("keynumidx");
            w.integer(k.keynumidx());
            w.bulk("firstkey");
            w.integer(k.firstkey());
            w.bulk("keystep");
            w.integer(k.keystep());
        } else {
            w.bulk("unknown");
            w.bulk("spec");
            w.map(0);
        }
    }
}
