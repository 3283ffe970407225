package dev.quokka.keyspace;

import dev.quokka.protocol.Numbers;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * A stream (Redis's {@code t_stream.c}): entries with ids in increasing order, kept in nodes of
 * at most {@code stream-node-max-entries} entries and {@code stream-node-max-bytes} bytes, as
 * Redis keeps listpacks in a radix tree, and its consumer groups ({@link StreamGroup}).
 *
 * <p>A node holds its entries in one byte array: per entry a flags byte (deleted, same fields as
 * the node's master entry), the id as zigzag varint deltas from the node's first id, then the
 * field names (only when they differ from the master fields, the fields of the node's first
 * entry) and the values, each length-prefixed. Deletion marks the flags byte; a node whose
 * entries are all deleted is dropped. Appends only ever go to the last node (ids only grow), so
 * the nodes are an array ordered by id, searched by binary search.
 *
 * <p>Where a node ends is decided as Redis decides it, so that approximate trimming ({@code ~})
 * removes the same entries: each node also counts the bytes its entries would take in Redis's
 * listpack encoding ({@link #listpackInt}, {@link #listpackString}).
 */
public final class StreamValue extends Collection {
    private static final int DELETED = 1;
    private static final int SAME_FIELDS = 2;
    /** The largest listpack Redis lets a stream node grow to (STREAM_LISTPACK_MAX_SIZE). */
    public static final long LISTPACK_MAX = 1L << 30;

    /** A node of entries: see the class comment for the layout of {@link #data}. */
    static final class Node {
        final long baseMs;
        final long baseSeq;
        long lastMs;
        long lastSeq;
        final byte[][] master;
        byte[] data;
        int used;
        int live;
        int deleted;
        /** Bytes of the entries in Redis's listpack encoding. */
        long listpackEntries;
        /** Bytes of the master fields in Redis's listpack encoding. */
        final long listpackMaster;

        Node(long ms, long seq, byte[][] master) {
            baseMs = ms;
            baseSeq = seq;
            this.master = master;
            long m = 0;
            for (byte[] f : master) {
                m += listpackString(f);
            }
            listpackMaster = m;
        }

        /** lpBytes of Redis's listpack for this node: header, counters, master entry, entries, end. */
        long listpackBytes() {
            return 7 + listpackInt(live) + listpackInt(deleted) + listpackInt(master.length) + listpackMaster
                + listpackInt(0) + listpackEntries;
        }

        long heapBytes() {
            long b = NODE + MemoryModel.byteArray(data.length) + MemoryModel.refArray(master.length);
            for (byte[] f : master) {
                b += MemoryModel.byteArray(f.length);
            }
            return b;
        }

        Node copy() {
            Node n = new Node(baseMs, baseSeq, master);
            n.lastMs = lastMs;
            n.lastSeq = lastSeq;
            n.data = Arrays.copyOf(data, data.length);
            n.used = used;
            n.live = live;
            n.deleted = deleted;
            n.listpackEntries = listpackEntries;
            return n;
        }
    }

    private static final long NODE = MemoryModel.align(MemoryModel.OBJECT_HEADER + 4 * 8 + 2 * MemoryModel.REF
        + 3 * 4 + 2 * 8);
    private static final long SELF = MemoryModel.align(MemoryModel.OBJECT_HEADER + 2 * MemoryModel.REF + 3 * 4
        + 6 * 8 + 8 + FIELDS);
    private static final long GROUPS_MAP = MemoryModel.align(MemoryModel.OBJECT_HEADER + 3L * MemoryModel.REF + 8);

    private Node[] nodes = new Node[2];
    private int firstNode;
    private int nodeCount;
    private long length;
    private long lastMs;
    private long lastSeq;
    private long maxDeletedMs;
    private long maxDeletedSeq;
    private long entriesAdded;
    private TreeMap<byte[], StreamGroup> groups;
    /** Heap bytes of the nodes, kept as they change. */
    private long nodeBytes;

    public StreamValue() {
    }

    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, length);
    }

    public long length() {
        return length;
    }

    @Override
    public long bytes() {
        long b = SELF + MemoryModel.refArray(nodes.length) + nodeBytes;
        if (groups != null) {
            b += GROUPS_MAP;
            for (var e : groups.entrySet()) {
                b += MemoryModel.byteArray(e.getKey().length) + e.getValue().bytes();
            }
        }
        return b;
    }

    @Override
    public Collection copy() {
        StreamValue s = new StreamValue();
        s.nodes = new Node[Math.max(2, nodeCount)];
        for (int i = 0; i < nodeCount; i++) {
            s.nodes[i] = node(i).copy();
        }
        s.nodeCount = nodeCount;
        s.length = length;
        s.lastMs = lastMs;
        s.lastSeq = lastSeq;
        s.maxDeletedMs = maxDeletedMs;
        s.maxDeletedSeq = maxDeletedSeq;
        s.entriesAdded = entriesAdded;
        s.nodeBytes = nodeBytes;
        if (groups != null) {
            s.groups = new TreeMap<>(Arrays::compareUnsigned);
            for (var e : groups.entrySet()) {
                s.groups.put(e.getKey(), e.getValue().copy());
            }
        }
        return s;
    }

    @Override
    public String typeName() {
        return "stream";
    }

    @Override
    public String encoding() {
        return "stream";
    }

    // ---------------------------------------------------------------- metadata

    public StreamId lastId() {
        return new StreamId(lastMs, lastSeq);
    }

    public StreamId maxDeletedId() {
        return new StreamId(maxDeletedMs, maxDeletedSeq);
    }

    public long entriesAdded() {
        return entriesAdded;
    }

    /** XSETID: the last id, and the added-entries counter and largest deleted id when given. */
    public void setLastId(StreamId id, long added, StreamId maxDeleted) {
        lastMs = id.ms();
        lastSeq = id.seq();
        if (added >= 0) {
            entriesAdded = added;
        }
        if (maxDeleted != null && !maxDeleted.isZero()) {
            maxDeletedMs = maxDeleted.ms();
            maxDeletedSeq = maxDeleted.seq();
        }
    }

    /** Nodes (Redis's radix-tree-keys). */
    public int nodes() {
        return nodeCount;
    }

    /** The first entry's id, 0-0 when empty (Redis's recorded first_id). */
    public StreamId firstId() {
        Cursor c = cursor(StreamId.MIN, StreamId.MAX, false);
        return c.next() ? new StreamId(c.ms, c.seq) : StreamId.MIN;
    }

    /**
     * The id of the first entry still in a node, deleted or not; the largest id when there is no
     * node (streamGetEdgeID without skipping tombstones).
     */
    public StreamId firstNodeId() {
        return nodeCount == 0 ? StreamId.MAX : new StreamId(node(0).baseMs, node(0).baseSeq);
    }

    /** The last entry's id, 0-0 when empty (streamLastValidID). */
    public StreamId lastEntryId() {
        Cursor c = cursor(StreamId.MIN, StreamId.MAX, true);
        return c.next() ? new StreamId(c.ms, c.seq) : StreamId.MIN;
    }

    private Node node(int i) {
        return nodes[firstNode + i];
    }

    // ---------------------------------------------------------------- append

    /**
     * Appends an entry with id {@code ms-seq} (the caller checked it is above the last id) and
     * the {@code pairs} field-value pairs at {@code argv[from..]}, starting a new node when the
     * last one is full by Redis's rule.
     */
    public void append(long ms, long seq, byte[][] argv, int from, int pairs, long maxBytes, long maxEntries) {
        long elementBytes = 0;
        for (int i = 0; i < 2 * pairs; i++) {
            elementBytes += argv[from + i].length;
        }
        Node tail = nodeCount > 0 ? node(nodeCount - 1) : null;
        if (tail != null) {
            long limit = maxBytes == 0 || maxBytes > LISTPACK_MAX ? LISTPACK_MAX : maxBytes;
            boolean full = tail.listpackBytes() + elementBytes >= limit
                || (maxEntries != 0 && tail.live + tail.deleted >= maxEntries);
            if (full) {
                seal(tail);
                tail = null;
            }
        }
        int flags = 0;
        if (tail == null) {
            byte[][] master = new byte[pairs][];
            for (int i = 0; i < pairs; i++) {
                master[i] = argv[from + 2 * i];
            }
            tail = new Node(ms, seq, master);
            tail.data = new byte[maxBytes == 0 ? 512 : (int) Math.min(512, Math.max(64, maxBytes))];
            addNode(tail);
            nodeBytes += tail.heapBytes();
            flags = SAME_FIELDS;
        } else if (tail.master.length == pairs) {
            flags = SAME_FIELDS;
            for (int i = 0; i < pairs; i++) {
                if (!Arrays.equals(tail.master[i], argv[from + 2 * i])) {
                    flags = 0;
                    break;
                }
            }
        }
        long msDelta = ms - tail.baseMs;
        long seqDelta = seq - tail.baseSeq;
        long lp = listpackInt(flags) + listpackInt(msDelta) + listpackInt(seqDelta);
        int lpCount = 3 + pairs;
        int need = 1 + 20 + 5;
        if (flags == 0) {
            lp += listpackInt(pairs);
            lpCount += pairs + 1;
            need += 5;
        }
        for (int i = 0; i < 2 * pairs; i++) {
            need += 5 + argv[from + i].length;
        }
        lp += listpackInt(lpCount);
        reserve(tail, need);
        byte[] d = tail.data;
        int p = tail.used;
        d[p++] = (byte) flags;
        p = putVar(d, p, zigzag(msDelta));
        p = putVar(d, p, zigzag(seqDelta));
        if (flags == 0) {
            p = putVar(d, p, pairs);
        }
        for (int i = 0; i < pairs; i++) {
            byte[] f = argv[from + 2 * i];
            byte[] v = argv[from + 2 * i + 1];
            if (flags == 0) {
                p = putVar(d, p, f.length);
                System.arraycopy(f, 0, d, p, f.length);
                p += f.length;
                lp += listpackString(f);
            }
            p = putVar(d, p, v.length);
            System.arraycopy(v, 0, d, p, v.length);
            p += v.length;
            lp += listpackString(v);
        }
        tail.used = p;
        tail.live++;
        tail.lastMs = ms;
        tail.lastSeq = seq;
        tail.listpackEntries += lp;
        length++;
        entriesAdded++;
        lastMs = ms;
        lastSeq = seq;
    }

    private void reserve(Node n, int need) {
        if (n.used + need <= n.data.length) {
            return;
        }
        int cap = Math.max(n.data.length * 2, n.used + need);
        nodeBytes -= MemoryModel.byteArray(n.data.length);
        n.data = Arrays.copyOf(n.data, cap);
        nodeBytes += MemoryModel.byteArray(n.data.length);
    }

    /** A node that takes no more entries gives back its spare capacity (Redis's lpShrinkToFit). */
    private void seal(Node n) {
        if (n.data.length > n.used) {
            nodeBytes -= MemoryModel.byteArray(n.data.length);
            n.data = Arrays.copyOf(n.data, n.used);
            nodeBytes += MemoryModel.byteArray(n.data.length);
        }
    }

    private void addNode(Node n) {
        if (firstNode + nodeCount == nodes.length) {
            if (firstNode > nodeCount / 2) {
                System.arraycopy(nodes, firstNode, nodes, 0, nodeCount);
                Arrays.fill(nodes, nodeCount, firstNode + nodeCount, null);
            } else {
                Node[] a = new Node[nodes.length * 2];
                System.arraycopy(nodes, firstNode, a, 0, nodeCount);
                nodes = a;
            }
            firstNode = 0;
        }
        nodes[firstNode + nodeCount++] = n;
    }

    private void removeNode(int i) {
        Node n = node(i);
        nodeBytes -= n.heapBytes();
        if (i == 0) {
            nodes[firstNode++] = null;
            nodeCount--;
            if (nodeCount == 0) {
                firstNode = 0;
            }
            return;
        }
        System.arraycopy(nodes, firstNode + i + 1, nodes, firstNode + i, nodeCount - i - 1);
        nodes[firstNode + --nodeCount] = null;
    }

    // ---------------------------------------------------------------- Redis's node layout

    /** A node's first id (the key of its radix tree node in Redis). */
    public StreamId nodeId(int i) {
        return new StreamId(node(i).baseMs, node(i).baseSeq);
    }

    /**
     * Node {@code i}'s elements as Redis's stream listpack holds them (RDB and DUMP carry it): the
     * master entry (live count, deleted count, field count, fields, 0), then per entry its flags,
     * id deltas, the field count and fields unless they are the master's, the values, and the
     * count of elements the entry took. Integers in decimal.
     */
    public java.util.List<byte[]> listpackElements(int i) {
        Node n = node(i);
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        out.add(Numbers.toBytes(n.live));
        out.add(Numbers.toBytes(n.deleted));
        out.add(Numbers.toBytes(n.master.length));
        java.util.Collections.addAll(out, n.master);
        out.add(Numbers.toBytes(0));
        byte[] d = n.data;
        int p = 0;
        while (p < n.used) {
            int flags = d[p];
            long msDelta = unzigzag(getVar(d, p + 1));
            int q = skipVar(d, p + 1);
            long seqDelta = unzigzag(getVar(d, q));
            q = skipVar(d, q);
            out.add(Numbers.toBytes(flags));
            out.add(Numbers.toBytes(msDelta));
            out.add(Numbers.toBytes(seqDelta));
            int count;
            boolean same = (flags & SAME_FIELDS) != 0;
            if (same) {
                count = n.master.length;
            } else {
                count = (int) getVar(d, q);
                q = skipVar(d, q);
                out.add(Numbers.toBytes(count));
            }
            for (int k = 0; k < count; k++) {
                if (!same) {
                    int len = (int) getVar(d, q);
                    q = skipVar(d, q);
                    out.add(java.util.Arrays.copyOfRange(d, q, q + len));
                    q += len;
                }
                int len = (int) getVar(d, q);
                q = skipVar(d, q);
                out.add(java.util.Arrays.copyOfRange(d, q, q + len));
                q += len;
            }
            out.add(Numbers.toBytes(same ? 3 + count : 3 + 2L * count + 1));
            p = q;
        }
        return out;
    }

    // ---------------------------------------------------------------- delete and trim

    /** XDEL of one id: true when an entry had it; the largest deleted id is kept. */
    public boolean delete(StreamId id) {
        Cursor c = idCursor(id);
        if (!c.next()) {
            return false;
        }
        markDeleted(c.nodeIndex, c.entryOffset);
        if (StreamId.compare(id.ms(), id.seq(), maxDeletedMs, maxDeletedSeq) > 0) {
            maxDeletedMs = id.ms();
            maxDeletedSeq = id.seq();
        }
        return true;
    }

    /** Whether an entry has this id. */
    public boolean exists(StreamId id) {
        return idCursor(id).next();
    }

    /** A cursor over the one entry {@code id} may name, reading ids only. */
    private Cursor idCursor(StreamId id) {
        Cursor c = new Cursor(id, id, false);
        c.fieldsWanted = false;
        return c;
    }

    private void markDeleted(int nodeIndex, int entryOffset) {
        Node n = node(nodeIndex);
        n.data[entryOffset] |= DELETED;
        n.live--;
        n.deleted++;
        length--;
        if (n.live == 0) {
            removeNode(nodeIndex);
        }
    }

    /**
     * XTRIM and XADD's trimming (streamTrim): removes entries from the head until at most
     * {@code maxlen} remain ({@code minid} null) or none below {@code minid} does. Approximate:
     * only whole nodes go. {@code limit} (0: none) caps the entries removed. Returns how many went.
     */
    public long trim(long maxlen, StreamId minid, boolean approx, long limit) {
        long removed = 0;
        while (nodeCount > 0) {
            if (minid == null && length <= maxlen) {
                break;
            }
            Node n = node(0);
            int entries = n.live;
            if (limit != 0 && removed + entries > limit) {
                break;
            }
            boolean whole = minid == null ? length - entries >= maxlen
                : StreamId.compare(n.lastMs, n.lastSeq, minid.ms(), minid.seq()) < 0;
            if (whole) {
                removeNode(0);
                length -= entries;
                removed += entries;
                continue;
            }
            if (approx) {
                break;
            }
            int p = 0;
            while (p < n.used) {
                int flags = n.data[p];
                long ms = n.baseMs + unzigzag(getVar(n.data, p + 1));
                int q = skipVar(n.data, p + 1);
                long seq = n.baseSeq + unzigzag(getVar(n.data, q));
                boolean stop = minid == null ? length <= maxlen
                    : StreamId.compare(ms, seq, minid.ms(), minid.seq()) >= 0;
                if (stop) {
                    break;
                }
                if ((flags & DELETED) == 0) {
                    n.data[p] |= DELETED;
                    n.live--;
                    n.deleted++;
                    length--;
                    removed++;
                }
                p = skipEntry(n, p);
            }
            break;
        }
        return removed;
    }

    // ---------------------------------------------------------------- groups

    /** The groups by name in byte order; null when the stream never had one. */
    public TreeMap<byte[], StreamGroup> groups() {
        return groups;
    }

    public int groupCount() {
        return groups == null ? 0 : groups.size();
    }

    public StreamGroup group(byte[] name) {
        return groups == null ? null : groups.get(name);
    }

    /** Creates a group; null when one has that name. */
    public StreamGroup createGroup(byte[] name, StreamId lastId, long entriesRead) {
        if (groups == null) {
            groups = new TreeMap<>(Arrays::compareUnsigned);
        }
        if (groups.containsKey(name)) {
            return null;
        }
        StreamGroup g = new StreamGroup(lastId, entriesRead);
        groups.put(name, g);
        return g;
    }

    public boolean destroyGroup(byte[] name) {
        return groups != null && groups.remove(name) != null;
    }

    // ---------------------------------------------------------------- lag (Redis 7.0's entries-read arithmetic)

    /**
     * Whether an entry between {@code start} and the end may have been deleted
     * (streamRangeHasTombstones, with no end).
     */
    public boolean tombstonesFrom(StreamId start) {
        if (length == 0 || (maxDeletedMs == 0 && maxDeletedSeq == 0)) {
            return false;
        }
        StreamId first = firstId();
        if (StreamId.compare(first.ms(), first.seq(), maxDeletedMs, maxDeletedSeq) > 0) {
            return false;
        }
        return StreamId.compare(start.ms(), start.seq(), maxDeletedMs, maxDeletedSeq) <= 0;
    }

    /** streamEstimateDistanceFromFirstEverEntry: the logical read counter of {@code id}, or -1 when not known. */
    public long readCounter(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        int cmpLast = StreamId.compare(id.ms(), id.seq(), lastMs, lastSeq);
        if (length == 0 && cmpLast < 1) {
            return entriesAdded;
        }
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return StreamGroup.UNKNOWN;
        }
        StreamId first = firstId();
        int cmpFirst = id.compareTo(first);
        boolean noTombstone = maxDeletedMs == 0 && maxDeletedSeq == 0
            || StreamId.compare(maxDeletedMs, maxDeletedSeq, first.ms(), first.seq()) < 0;
        if (noTombstone) {
            if (cmpFirst < 0) {
                return entriesAdded - length;
            } else if (cmpFirst == 0) {
                return entriesAdded - length + 1;
            }
        }
        return StreamGroup.UNKNOWN;
    }

    /** streamReplyWithCGLag: the group's lag, or -1 when it cannot be known. */
    public long lag(StreamGroup g) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (g.entriesRead != StreamGroup.UNKNOWN && !tombstonesFrom(g.lastId)) {
            return entriesAdded - g.entriesRead;
        }
        long read = readCounter(g.lastId);
        return read == StreamGroup.UNKNOWN ? -1 : entriesAdded - read;
    }

    // ---------------------------------------------------------------- iteration

    /** How many entries lie from {@code start} to {@code end} inclusive, counting at most {@code limit} (0: all). */
    public long count(StreamId start, StreamId end, long limit) {
        Cursor c = new Cursor(start, end, false);
        c.fieldsWanted = false; // ids only
        long n = 0;
        while ((limit == 0 || n < limit) && c.next()) {
            n++;
        }
        return n;
    }

    /** Entries from {@code start} to {@code end} inclusive, in id order or reversed. */
    public Cursor cursor(StreamId start, StreamId end, boolean reverse) {
        return new Cursor(start, end, reverse);
    }

    /**
     * Walks entries: after {@link #next} returns true, {@link #ms}, {@link #seq} and the fields
     * ({@link #fieldCount}, {@link #field}, {@link #value}) describe the current entry. The stream
     * must not change while a cursor walks it.
     */
    public final class Cursor {
        private final long startMs;
        private final long startSeq;
        private final long endMs;
        private final long endSeq;
        private final boolean reverse;
        int nodeIndex;
        int entryOffset;
        private int next;
        private int[] offsets;
        private int offsetPos;
        private boolean done;
        public long ms;
        public long seq;
        private int fields;
        private byte[][] names = new byte[4][];
        private int[] nameOff = new int[4];
        private int[] nameLen = new int[4];
        private int[] valueOff = new int[4];
        private int[] valueLen = new int[4];
        private byte[] data;
        private boolean fieldsWanted = true;

        Cursor(StreamId start, StreamId end, boolean reverse) {
            startMs = start.ms();
            startSeq = start.seq();
            endMs = end.ms();
            endSeq = end.seq();
            this.reverse = reverse;
            if (StreamId.compare(startMs, startSeq, endMs, endSeq) > 0 || nodeCount == 0) {
                done = true;
                return;
            }
            if (!reverse) {
                // the first node whose last id is at or above start
                int lo = 0;
                int hi = nodeCount;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    Node n = node(mid);
                    if (StreamId.compare(n.lastMs, n.lastSeq, startMs, startSeq) < 0) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                nodeIndex = lo;
                next = 0;
            } else {
                // the last node whose first id is at or below end
                int lo = 0;
                int hi = nodeCount;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    Node n = node(mid);
                    if (StreamId.compare(n.baseMs, n.baseSeq, endMs, endSeq) <= 0) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                nodeIndex = lo - 1;
                if (nodeIndex >= 0) {
                    loadOffsets();
                }
            }
        }

        private void loadOffsets() {
            Node n = node(nodeIndex);
            int total = n.live + n.deleted;
            if (offsets == null || offsets.length < total) {
                offsets = new int[Math.max(total, 16)];
            }
            int p = 0;
            int k = 0;
            while (p < n.used) {
                offsets[k++] = p;
                p = skipEntry(n, p);
            }
            offsetPos = k;
        }

        /** Moves to the next entry in range; false at the end. */
        public boolean next() {
            while (!done) {
                if (!reverse) {
                    if (nodeIndex >= nodeCount) {
                        done = true;
                        return false;
                    }
                    Node n = node(nodeIndex);
                    if (next >= n.used) {
                        nodeIndex++;
                        next = 0;
                        continue;
                    }
                    int p = next;
                    next = skipEntry(n, p);
                    if ((n.data[p] & DELETED) != 0) {
                        continue;
                    }
                    readId(n, p);
                    if (StreamId.compare(ms, seq, startMs, startSeq) < 0) {
                        continue;
                    }
                    if (StreamId.compare(ms, seq, endMs, endSeq) > 0) {
                        done = true;
                        return false;
                    }
                    entryOffset = p;
                    if (fieldsWanted) {
                        decode(n, p);
                    }
                    return true;
                }
                if (nodeIndex < 0) {
                    done = true;
                    return false;
                }
                if (offsetPos == 0) {
                    nodeIndex--;
                    if (nodeIndex >= 0) {
                        loadOffsets();
                    }
                    continue;
                }
                Node n = node(nodeIndex);
                int p = offsets[--offsetPos];
                if ((n.data[p] & DELETED) != 0) {
                    continue;
                }
                readId(n, p);
                if (StreamId.compare(ms, seq, endMs, endSeq) > 0) {
                    continue;
                }
                if (StreamId.compare(ms, seq, startMs, startSeq) < 0) {
                    done = true;
                    return false;
                }
                entryOffset = p;
                if (fieldsWanted) {
                    decode(n, p);
                }
                return true;
            }
            return false;
        }

        private void readId(Node n, int p) {
            ms = n.baseMs + unzigzag(getVar(n.data, p + 1));
            seq = n.baseSeq + unzigzag(getVar(n.data, skipVar(n.data, p + 1)));
        }

        private void decode(Node n, int p) {
            data = n.data;
            byte[] d = n.data;
            int flags = d[p];
            int q = skipVar(d, skipVar(d, p + 1));
            boolean same = (flags & SAME_FIELDS) != 0;
            int count;
            if (same) {
                count = n.master.length;
            } else {
                count = (int) getVar(d, q);
                q = skipVar(d, q);
            }
            if (names.length < count) {
                int cap = Math.max(count, names.length * 2);
                names = new byte[cap][];
                nameOff = new int[cap];
                nameLen = new int[cap];
                valueOff = new int[cap];
                valueLen = new int[cap];
            }
            for (int i = 0; i < count; i++) {
                if (same) {
                    names[i] = n.master[i];
                    nameOff[i] = 0;
                    nameLen[i] = n.master[i].length;
                } else {
                    int len = (int) getVar(d, q);
                    q = skipVar(d, q);
                    names[i] = d;
                    nameOff[i] = q;
                    nameLen[i] = len;
                    q += len;
                }
                int len = (int) getVar(d, q);
                q = skipVar(d, q);
                valueOff[i] = q;
                valueLen[i] = len;
                q += len;
            }
            fields = count;
        }

        public StreamId id() {
            return new StreamId(ms, seq);
        }

        public int fieldCount() {
            return fields;
        }

        /** The array holding field {@code i}'s name; its bytes are {@link #fieldFrom}..{@link #fieldTo}. */
        public byte[] fieldArray(int i) {
            return names[i];
        }

        public int fieldFrom(int i) {
            return nameOff[i];
        }

        public int fieldTo(int i) {
            return nameOff[i] + nameLen[i];
        }

        /** The array holding field {@code i}'s value; its bytes are {@link #valueFrom}..{@link #valueTo}. */
        public byte[] valueArray() {
            return data;
        }

        public int valueFrom(int i) {
            return valueOff[i];
        }

        public int valueTo(int i) {
            return valueOff[i] + valueLen[i];
        }

        /** Field {@code i}'s name, copied. */
        public byte[] field(int i) {
            return Arrays.copyOfRange(names[i], fieldFrom(i), fieldTo(i));
        }

        /** Field {@code i}'s value, copied. */
        public byte[] value(int i) {
            return Arrays.copyOfRange(data, valueFrom(i), valueTo(i));
        }
    }

    private static int skipEntry(Node n, int p) {
        byte[] d = n.data;
        int flags = d[p];
        int q = skipVar(d, skipVar(d, p + 1));
        int count;
        if ((flags & SAME_FIELDS) != 0) {
            count = n.master.length;
        } else {
            count = (int) getVar(d, q);
            q = skipVar(d, q);
            for (int i = 0; i < count; i++) {
                int len = (int) getVar(d, q);
                q = skipVar(d, q) + len;
            }
        }
        for (int i = 0; i < count; i++) {
            int len = (int) getVar(d, q);
            q = skipVar(d, q) + len;
        }
        return q;
    }

    // ---------------------------------------------------------------- encoding helpers

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static int putVar(byte[] d, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            d[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        d[p++] = (byte) v;
        return p;
    }

    private static long getVar(byte[] d, int p) {
        long v = 0;
        int shift = 0;
        while (true) {
            byte b = d[p++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
            shift += 7;
        }
    }

    private static int skipVar(byte[] d, int p) {
        while (d[p] < 0) {
            p++;
        }
        return p + 1;
    }

    /** Bytes of an integer element in Redis's listpack: encoding, data and back-length. */
    static int listpackInt(long v) {
        int enc;
        if (v >= 0 && v <= 127) {
            enc = 1;
        } else if (v >= -4096 && v <= 4095) {
            enc = 2;
        } else if (v >= -32768 && v <= 32767) {
            enc = 3;
        } else if (v >= -8388608 && v <= 8388607) {
            enc = 4;
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            enc = 5;
        } else {
            enc = 9;
        }
        return enc + backlen(enc);
    }

    /** Bytes of a string element in Redis's listpack (one that reads as an integer is stored as one). */
    static long listpackString(byte[] s) {
        if (s.length > 0 && s.length <= 20) {
            if (Numbers.isLong(s)) {
                return listpackInt(Numbers.parseLong(s));
            }
        }
        long enc = s.length < 64 ? 1 + s.length : s.length < 4096 ? 2 + s.length : 5 + (long) s.length;
        return enc + backlen(enc);
    }

    private static int backlen(long l) {
        return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
    }
}
