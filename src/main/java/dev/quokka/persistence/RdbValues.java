package dev.quokka.persistence;

import dev.quokka.keyspace.HashValue;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.keyspace.ListValue;
import dev.quokka.keyspace.SetValue;
import dev.quokka.keyspace.StreamGroup;
import dev.quokka.keyspace.StreamId;
import dev.quokka.keyspace.StreamValue;
import dev.quokka.keyspace.ZSetValue;
import dev.quokka.protocol.Numbers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Values in RDB's object format (rdb.c's rdbSaveObject / rdbLoadObject), as DUMP and RESTORE
 * carry them and RDB files will: written in the types redis-server 7.0 writes for each encoding
 * (strings with their integer forms, lists as quicklists of listpacks, sets as intsets or plain,
 * hashes and sorted sets as listpacks or plain, scores as binary doubles), and read in every type
 * a 7.0 server loads, the ziplist-era ones included. A DUMP payload is the type, the value, the
 * RDB version (10) and a CRC64 of all that, little endian.
 */
public final class RdbValues {
    public static final int VERSION = 10;
    static final int STRING = 0;
    static final int LIST = 1;
    static final int SET = 2;
    static final int ZSET = 3;
    static final int HASH = 4;
    static final int ZSET_2 = 5;
    static final int HASH_ZIPMAP = 9;
    static final int LIST_ZIPLIST = 10;
    static final int SET_INTSET = 11;
    static final int ZSET_ZIPLIST = 12;
    static final int HASH_ZIPLIST = 13;
    static final int LIST_QUICKLIST = 14;
    static final int HASH_LISTPACK = 16;
    static final int ZSET_LISTPACK = 17;
    static final int LIST_QUICKLIST_2 = 18;
    static final int STREAM_LISTPACKS = 15;
    static final int STREAM_LISTPACKS_2 = 19;
    /** Quicklist node containers. */
    private static final int PLAIN = 1;
    private static final int PACKED = 2;
    /** A quicklist node's listpack size at Redis's default list-max-listpack-size -2. */
    private static final int NODE_BYTES = 8192;

    private RdbValues() {
    }

    // ---------------------------------------------------------------- DUMP

    /** DUMP's payload for a value, its strings LZF-compressed or not ({@code rdbcompression}). */
    public static byte[] dump(Object value, boolean compress) {
        Payload out = new Payload(compress);
        writeObject(out, value);
        out.write(VERSION & 0xFF);
        out.write((VERSION >> 8) & 0xFF);
        Listpack.little(out, out.crc(), 8);
        return out.toByteArray();
    }

    /** A payload being written: the CRC64 is taken over the bytes in place. */
    private static final class Payload extends RdbStrings.Output {
        Payload(boolean compress) {
            super(compress);
        }

        long crc() {
            return Crc64.crc(0, buf, 0, count);
        }
    }

    /** Counts what would be written without keeping it (rdbSavedObjectLen writes to no buffer either). */
    private static final class Counter extends RdbStrings.Output {
        private long n;

        Counter(boolean compress) {
            super(0, compress);
        }

        @Override
        public void write(int b) {
            n++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            n += len;
        }
    }

    /** verifyDumpPayload: at least the footer, an RDB version this build reads, and a matching CRC64. */
    public static boolean verify(byte[] p) {
        if (p.length < 10) {
            return false;
        }
        int version = (p[p.length - 10] & 0xFF) | (p[p.length - 9] & 0xFF) << 8;
        if (version > VERSION) {
            return false;
        }
        long crc = Crc64.crc(0, p, 0, p.length - 8);
        return crc == Listpack.readLittle(p, p.length - 8, 8);
    }

    /** The value of a verified payload; IllegalArgumentException when it is not a valid object. */
    public static Object restore(byte[] p, Keyspace ks) {
        RdbStrings.Reader in = new RdbStrings.Reader(p, 0, p.length - 10);
        int type = in.readByte();
        Object v = readObject(in, type, ks);
        if (in.position() != p.length - 10) {
            throw new IllegalArgumentException("trailing bytes");
        }
        return v;
    }

    // ---------------------------------------------------------------- writing

    static void writeObject(ByteArrayOutputStream out, Object value) {
        writeObject(out, null, value);
    }

    /** The type byte, the key when there is one (an RDB file's entry), and the value. */
    static void writeObject(ByteArrayOutputStream out, byte[] key, Object value) {
        if (value instanceof byte[] s) {
            type(out, STRING, key);
            writeString(out, s);
        } else if (value instanceof ListValue l) {
            type(out, LIST_QUICKLIST_2, key);
            writeQuicklist(out, l);
        } else if (value instanceof SetValue s) {
            if (s.encoding().equals("intset")) {
                type(out, SET_INTSET, key);
                RdbStrings.writeString(out, intset(s));
            } else {
                type(out, SET, key);
                RdbStrings.writeLength(out, s.size());
                s.forEach(m -> writeString(out, m));
            }
        } else if (value instanceof HashValue h) {
            byte[][] pairs = h.pairs();
            if (h.encoding().equals("listpack")) {
                type(out, HASH_LISTPACK, key);
                RdbStrings.writeString(out, Listpack.write(List.of(pairs)));
            } else {
                type(out, HASH, key);
                RdbStrings.writeLength(out, pairs.length / 2);
                for (byte[] b : pairs) {
                    writeString(out, b);
                }
            }
        } else if (value instanceof ZSetValue z) {
            if (z.encoding().equals("listpack")) {
                List<byte[]> elements = new ArrayList<>();
                z.range(0, z.size() - 1, false, (m, score) -> {
                    elements.add(m);
                    elements.add(d2string(score));
                });
                type(out, ZSET_LISTPACK, key);
                RdbStrings.writeString(out, Listpack.write(elements));
            } else {
                // Redis saves a skiplist from the greatest element to the smallest.
                type(out, ZSET_2, key);
                RdbStrings.writeLength(out, z.size());
                z.range(0, z.size() - 1, true, (m, score) -> {
                    writeString(out, m);
                    long bits = Double.doubleToRawLongBits(score);
                    for (int i = 0; i < 8; i++) {
                        out.write((int) (bits >>> (8 * i)) & 0xFF);
                    }
                });
            }
        } else if (value instanceof StreamValue st) {
            type(out, STREAM_LISTPACKS_2, key);
            writeStream(out, st);
        } else {
            throw new IllegalStateException("no RDB form for " + value.getClass());
        }
    }

    private static void type(ByteArrayOutputStream out, int type, byte[] key) {
        out.write(type);
        if (key != null) {
            RdbStrings.writeString(out, key);
        }
    }

    /**
     * A stream as Redis 7.0 saves it: its nodes (the first id as a 16-byte big-endian key, the
     * listpack), length, last id, first id, largest deleted id, entries added, then each group
     * with its last id, read counter, pending entries (id, delivery time, count) and consumers
     * (name, seen time, the ids they own).
     */
    private static void writeStream(ByteArrayOutputStream out, StreamValue s) {
        RdbStrings.writeLength(out, s.nodes());
        for (int i = 0; i < s.nodes(); i++) {
            RdbStrings.writeString(out, rawId(s.nodeId(i)));
            RdbStrings.writeString(out, Listpack.write(s.listpackElements(i)));
        }
        RdbStrings.writeLength(out, s.length());
        writeId(out, s.lastId());
        writeId(out, s.firstId());
        writeId(out, s.maxDeletedId());
        RdbStrings.writeLength(out, s.entriesAdded());
        RdbStrings.writeLength(out, s.groupCount());
        if (s.groups() == null) {
            return;
        }
        for (var g : s.groups().entrySet()) {
            StreamGroup group = g.getValue();
            RdbStrings.writeString(out, g.getKey());
            writeId(out, group.lastId);
            RdbStrings.writeLength(out, group.entriesRead);
            RdbStrings.writeLength(out, group.pel().size());
            for (StreamGroup.Pending p : group.pel().values()) {
                out.write(rawId(p.id), 0, 16);
                Listpack.little(out, p.deliveryTime, 8);
                RdbStrings.writeLength(out, p.deliveryCount);
            }
            RdbStrings.writeLength(out, group.consumers().size());
            for (StreamGroup.Consumer c : group.consumers().values()) {
                RdbStrings.writeString(out, c.name);
                Listpack.little(out, c.seenTime, 8);
                RdbStrings.writeLength(out, c.pel().size());
                for (StreamId id : c.pel().keySet()) {
                    out.write(rawId(id), 0, 16);
                }
            }
        }
    }

    private static void writeId(ByteArrayOutputStream out, StreamId id) {
        RdbStrings.writeLength(out, id.ms());
        RdbStrings.writeLength(out, id.seq());
    }

    /** streamEncodeID: ms and seq, 8 bytes each, big endian. */
    private static byte[] rawId(StreamId id) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (id.ms() >>> (56 - 8 * i));
            b[8 + i] = (byte) (id.seq() >>> (56 - 8 * i));
        }
        return b;
    }

    private static StreamId rawId(byte[] b, int from) {
        long ms = 0;
        long seq = 0;
        for (int i = 0; i < 8; i++) {
            ms = ms << 8 | (b[from + i] & 0xFF);
            seq = seq << 8 | (b[from + 8 + i] & 0xFF);
        }
        return new StreamId(ms, seq);
    }

    /** A stream of RDB type 15 (Redis 5 to 6.2) or 19 (7.0). */
    private static StreamValue readStream(RdbStrings.Reader in, boolean v2, Keyspace ks) {
        StreamValue s = new StreamValue();
        long nodes = length(in);
        StreamId previous = null;
        for (long n = 0; n < nodes; n++) {
            byte[] key = in.readString();
            if (key.length != 16) {
                throw new IllegalArgumentException("stream node key");
            }
            StreamId master = rawId(key, 0);
            List<byte[]> e = Listpack.read(in.readString());
            int p = 0;
            long live = integer(e, p++);
            long deleted = integer(e, p++);
            int masterFields = (int) integer(e, p++);
            if (live + deleted == 0 || masterFields < 0 || p + masterFields >= e.size()) {
                throw new IllegalArgumentException("stream master entry");
            }
            byte[][] fields = e.subList(p, p + masterFields).toArray(new byte[0][]);
            p += masterFields;
            if (integer(e, p++) != 0) {
                throw new IllegalArgumentException("stream master terminator");
            }
            long seen = 0;
            while (p < e.size()) {
                int flags = (int) integer(e, p++);
                long ms = master.ms() + integer(e, p++);
                long seq = master.seq() + integer(e, p++);
                int count = (flags & 2) != 0 ? masterFields : (int) integer(e, p++);
                if (count < 0 || p + (long) count * ((flags & 2) != 0 ? 1 : 2) > e.size()) {
                    throw new IllegalArgumentException("stream entry");
                }
                byte[][] pairs = new byte[2 * count][];
                for (int k = 0; k < count; k++) {
                    pairs[2 * k] = (flags & 2) != 0 ? fields[k] : e.get(p++);
                    pairs[2 * k + 1] = e.get(p++);
                }
                integer(e, p++); // lp-count
                seen++;
                StreamId id = new StreamId(ms, seq);
                if (previous != null && id.compareTo(previous) <= 0) {
                    throw new IllegalArgumentException("stream ids out of order");
                }
                previous = id;
                if ((flags & 1) == 0) {
                    s.append(ms, seq, pairs, 0, count, ks.streamNodeMaxBytes, ks.streamNodeMaxEntries);
                }
            }
            if (seen != live + deleted) {
                throw new IllegalArgumentException("stream node count");
            }
        }
        long length = length(in);
        StreamId last = new StreamId(in.readUnsigned(), in.readUnsigned());
        StreamId maxDeleted = StreamId.MIN;
        long added = length;
        if (v2) {
            in.readUnsigned(); // the first id: recomputed from the entries
            in.readUnsigned();
            maxDeleted = new StreamId(in.readUnsigned(), in.readUnsigned());
            added = length(in);
        }
        if (length != s.length() || (previous != null && last.compareTo(previous) < 0)) {
            throw new IllegalArgumentException("stream length or last id");
        }
        s.setLastId(last, added, maxDeleted);
        long groups = length(in);
        for (long g = 0; g < groups; g++) {
            byte[] name = in.readString();
            StreamId groupLast = new StreamId(in.readUnsigned(), in.readUnsigned());
            long entriesRead = v2 ? in.readUnsigned() : s.readCounter(groupLast);
            StreamGroup group = s.createGroup(name, groupLast, entriesRead);
            if (group == null) {
                throw new IllegalArgumentException("duplicate group");
            }
            long pending = length(in);
            for (long k = 0; k < pending; k++) {
                StreamId id = rawId(raw(in, 16), 0);
                StreamGroup.Pending p = group.createUnowned(id);
                p.deliveryTime = in.littleEndian(8);
                p.deliveryCount = length(in);
            }
            long consumers = length(in);
            for (long k = 0; k < consumers; k++) {
                byte[] cname = in.readString();
                long seenTime = in.littleEndian(8);
                StreamGroup.Consumer c = group.createConsumer(cname, seenTime);
                if (c == null) {
                    throw new IllegalArgumentException("duplicate consumer");
                }
                long owned = length(in);
                for (long m = 0; m < owned; m++) {
                    StreamGroup.Pending p = group.pel().get(rawId(raw(in, 16), 0));
                    if (p == null || p.consumer() != null) {
                        throw new IllegalArgumentException("consumer PEL entry not in the group's");
                    }
                    group.assign(p, c);
                }
            }
            for (StreamGroup.Pending p : group.pel().values()) {
                if (p.consumer() == null) {
                    throw new IllegalArgumentException("pending entry without a consumer");
                }
            }
        }
        return s;
    }

    private static byte[] raw(RdbStrings.Reader in, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) in.readByte();
        }
        return b;
    }

    private static long integer(List<byte[]> e, int i) {
        if (i >= e.size()) {
            throw new IllegalArgumentException("stream listpack too short");
        }
        byte[] b = e.get(i);
        if (!Numbers.isLong(b)) {
            throw new IllegalArgumentException("stream listpack integer");
        }
        return Numbers.parseLong(b);
    }

    /** rdbSaveRawString: a string of up to 11 bytes that is an integer in 32 bits is written as one. */
    static void writeString(ByteArrayOutputStream out, byte[] s) {
        if (s.length <= 11 && s.length > 0 && Numbers.isLong(s)) {
            long v = Numbers.parseLong(s);
            if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                out.write(0xC0);
                out.write((int) v & 0xFF);
                return;
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                out.write(0xC1);
                out.write((int) v & 0xFF);
                out.write((int) (v >> 8) & 0xFF);
                return;
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                out.write(0xC2);
                for (int i = 0; i < 4; i++) {
                    out.write((int) (v >> (8 * i)) & 0xFF);
                }
                return;
            }
        }
        RdbStrings.writeString(out, s);
    }

    /** The length of a value's RDB serialization (without its type byte): DEBUG OBJECT's serializedlength. */
    public static long serializedLength(Object value, boolean compress) {
        Counter out = new Counter(compress);
        writeObject(out, value);
        return out.n - 1;
    }

    /** A list's quicklist as DUMP writes it: {nodes, total listpack bytes}. */
    public static long[] quicklistShape(ListValue l) {
        long bytes = 0;
        List<List<byte[]>> nodes = quicklistNodes(l);
        for (List<byte[]> n : nodes) {
            bytes += Listpack.write(n).length;
        }
        return new long[] {nodes.size(), bytes};
    }

    /** A list as quicklist nodes of listpacks of at most 8 KiB each (list-max-listpack-size -2). */
    private static void writeQuicklist(ByteArrayOutputStream out, ListValue l) {
        List<List<byte[]>> nodes = quicklistNodes(l);
        RdbStrings.writeLength(out, nodes.size());
        for (List<byte[]> n : nodes) {
            RdbStrings.writeLength(out, PACKED);
            RdbStrings.writeString(out, Listpack.write(n));
        }
    }

    private static List<List<byte[]>> quicklistNodes(ListValue l) {
        List<List<byte[]>> nodes = new ArrayList<>();
        List<byte[]> node = new ArrayList<>();
        long size = 7;
        List<byte[]> elements = new ArrayList<>(l.size());
        l.forEach(elements::add); // a snapshot's thread may run this
        for (byte[] e : elements) {
            long entry = Listpack.write(List.of(e)).length - 7;
            if (!node.isEmpty() && size + entry > NODE_BYTES) {
                nodes.add(node);
                node = new ArrayList<>();
                size = 7;
            }
            node.add(e);
            size += entry;
        }
        if (!node.isEmpty()) {
            nodes.add(node);
        }
        return nodes;
    }

    /** An intset blob: the width (2, 4 or 8 bytes) its largest member needs, the count, the members ascending. */
    private static byte[] intset(SetValue s) {
        long[] values = new long[s.size()];
        int[] k = {0};
        s.forEach(m -> values[k[0]++] = Numbers.parseLong(m));
        java.util.Arrays.sort(values);
        int width = 2;
        for (long v : values) {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                width = 8;
            } else if ((v < Short.MIN_VALUE || v > Short.MAX_VALUE) && width < 4) {
                width = 4;
            }
        }
        byte[] b = new byte[8 + width * values.length];
        b[0] = (byte) width;
        b[4] = (byte) values.length;
        b[5] = (byte) (values.length >>> 8);
        b[6] = (byte) (values.length >>> 16);
        b[7] = (byte) (values.length >>> 24);
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < width; j++) {
                b[8 + i * width + j] = (byte) (values[i] >>> (8 * j));
            }
        }
        return b;
    }

    /** Redis's d2string, as sorted-set listpacks store scores: integers below 2^52 in decimal, else %.17g. */
    static byte[] d2string(double d) {
        if (d == 0) {
            return (1 / d < 0 ? "-0" : "0").getBytes(StandardCharsets.US_ASCII);
        }
        if (d > -4503599627370495.0 && d < 4503599627370496.0 && d == (double) (long) d) {
            return Long.toString((long) d).getBytes(StandardCharsets.US_ASCII);
        }
        return Numbers.formatDouble(d).getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- reading

    static Object readObject(RdbStrings.Reader in, int type, Keyspace ks) {
        switch (type) {
            case STRING -> {
                return in.readString();
            }
            case LIST -> {
                ListValue l = new ListValue();
                long n = length(in);
                for (long i = 0; i < n; i++) {
                    l.addLast(in.readString());
                }
                return nonEmpty(l);
            }
            case LIST_ZIPLIST -> {
                ListValue l = new ListValue();
                for (byte[] e : Ziplist.read(in.readString())) {
                    l.addLast(e);
                }
                return nonEmpty(l);
            }
            case LIST_QUICKLIST, LIST_QUICKLIST_2 -> {
                ListValue l = new ListValue();
                long nodes = length(in);
                for (long i = 0; i < nodes; i++) {
                    int container = type == LIST_QUICKLIST ? PACKED : (int) length(in);
                    byte[] blob = in.readString();
                    if (container == PLAIN) {
                        l.addLast(blob);
                    } else if (container == PACKED) {
                        List<byte[]> elements = type == LIST_QUICKLIST ? Ziplist.read(blob) : Listpack.read(blob);
                        if (elements.isEmpty()) {
                            throw new IllegalArgumentException("empty quicklist node");
                        }
                        for (byte[] e : elements) {
                            l.addLast(e);
                        }
                    } else {
                        throw new IllegalArgumentException("quicklist container " + container);
                    }
                }
                return nonEmpty(l);
            }
            case SET -> {
                long n = length(in);
                SetValue s = null;
                for (long i = 0; i < n; i++) {
                    byte[] m = in.readString();
                    if (s == null) {
                        s = new SetValue(m);
                    }
                    if (!s.add(m, ks.setMaxIntsetEntries)) {
                        throw new IllegalArgumentException("duplicate set member");
                    }
                }
                return nonEmpty(s);
            }
            case SET_INTSET -> {
                byte[] blob = in.readString();
                if (blob.length < 8) {
                    throw new IllegalArgumentException("intset header");
                }
                int width = (int) Listpack.readLittle(blob, 0, 4);
                long n = Listpack.readLittle(blob, 4, 4);
                if ((width != 2 && width != 4 && width != 8) || blob.length != 8 + n * width) {
                    throw new IllegalArgumentException("intset size");
                }
                SetValue s = new SetValue(new byte[] {'0'});
                long previous = 0;
                for (int i = 0; i < n; i++) {
                    long v = Listpack.readLittle(blob, 8 + i * width, width);
                    int shift = 64 - 8 * width;
                    v = (v << shift) >> shift;
                    if (i > 0 && v <= previous) {
                        throw new IllegalArgumentException("intset order");
                    }
                    previous = v;
                    s.add(Numbers.toBytes(v), ks.setMaxIntsetEntries);
                }
                return nonEmpty(s);
            }
            case HASH -> {
                long n = length(in);
                HashValue h = new HashValue();
                for (long i = 0; i < n; i++) {
                    byte[] f = in.readString();
                    byte[] v = in.readString();
                    if (!h.put(f, v, ks.hashMaxListpackEntries, ks.hashMaxListpackValue)) {
                        throw new IllegalArgumentException("duplicate hash field");
                    }
                }
                return nonEmpty(h);
            }
            case HASH_ZIPMAP, HASH_ZIPLIST, HASH_LISTPACK -> {
                byte[] blob = in.readString();
                List<byte[]> e = type == HASH_ZIPLIST ? Ziplist.read(blob)
                    : type == HASH_ZIPMAP ? Zipmap.read(blob) : Listpack.read(blob);
                if (e.size() % 2 != 0) {
                    throw new IllegalArgumentException("odd hash listpack");
                }
                HashValue h = new HashValue();
                for (int i = 0; i < e.size(); i += 2) {
                    if (!h.put(e.get(i), e.get(i + 1), ks.hashMaxListpackEntries, ks.hashMaxListpackValue)) {
                        throw new IllegalArgumentException("duplicate hash field");
                    }
                }
                return nonEmpty(h);
            }
            case ZSET, ZSET_2 -> {
                long n = length(in);
                ZSetValue z = new ZSetValue(n <= ks.zsetMaxListpackEntries);
                for (long i = 0; i < n; i++) {
                    byte[] m = in.readString();
                    double score = type == ZSET_2 ? Double.longBitsToDouble(in.littleEndian(8)) : stringDouble(in);
                    if (Double.isNaN(score)) {
                        throw new IllegalArgumentException("NaN score");
                    }
                    if (!z.put(m, score, ks.zsetMaxListpackEntries, ks.zsetMaxListpackValue)) {
                        throw new IllegalArgumentException("duplicate sorted set member");
                    }
                }
                return nonEmpty(z);
            }
            case ZSET_ZIPLIST, ZSET_LISTPACK -> {
                byte[] blob = in.readString();
                List<byte[]> e = type == ZSET_ZIPLIST ? Ziplist.read(blob) : Listpack.read(blob);
                if (e.size() % 2 != 0) {
                    throw new IllegalArgumentException("odd sorted set listpack");
                }
                ZSetValue z = new ZSetValue(e.size() / 2 <= ks.zsetMaxListpackEntries);
                for (int i = 0; i < e.size(); i += 2) {
                    double score = Numbers.parseDouble(e.get(i + 1));
                    if (Double.isNaN(score)) {
                        throw new IllegalArgumentException("bad score");
                    }
                    if (!z.put(e.get(i), score, ks.zsetMaxListpackEntries, ks.zsetMaxListpackValue)) {
                        throw new IllegalArgumentException("duplicate sorted set member");
                    }
                }
                return nonEmpty(z);
            }
            case STREAM_LISTPACKS, STREAM_LISTPACKS_2 -> {
                return readStream(in, type == STREAM_LISTPACKS_2, ks);
            }
            default -> throw new IllegalArgumentException("unsupported RDB type " + type);
        }
    }

    private static <T extends dev.quokka.keyspace.Collection> T nonEmpty(T c) {
        if (c == null || c.size() == 0) {
            throw new EmptyValue();
        }
        return c;
    }

    /** A collection saved with no members (Redis's RDB_LOAD_ERR_EMPTY_KEY): a file's loader skips the key. */
    static final class EmptyValue extends IllegalArgumentException {
        EmptyValue() {
            super("empty collection");
        }
    }

    private static long length(RdbStrings.Reader in) {
        return in.readLength();
    }

    /** rdbLoadDoubleValue: a length byte, 253 nan, 254 +inf, 255 -inf, else that many characters. */
    private static double stringDouble(RdbStrings.Reader in) {
        int len = in.readByte();
        return switch (len) {
            case 253 -> Double.NaN;
            case 254 -> Double.POSITIVE_INFINITY;
            case 255 -> Double.NEGATIVE_INFINITY;
            default -> {
                byte[] b = new byte[len];
                for (int i = 0; i < len; i++) {
                    b[i] = (byte) in.readByte();
                }
                try {
                    yield Double.parseDouble(new String(b, StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad double");
                }
            }
        };
    }
}
