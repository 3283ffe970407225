package dev.quokka.keyspace;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A list: a chain of nodes, each packing its elements into one byte array, as Redis's quicklist
 * chains listpacks (Redis 7.0 reports every list as {@code quicklist}). A node takes elements
 * until it holds {@link #NODE_BYTES}; an element larger than that has a node of its own. Each
 * element is stored as its length, its bytes and its length again, so a node is read from either
 * end: pushes and pops at both ends touch only the end node, and an index is found by walking
 * the nodes' counts from the nearer end, then the elements inside one node.
 *
 * <p>Packing keeps a list of a million small elements in some 600 arrays rather than a million
 * objects, which the collector would otherwise copy one by one as they age.
 *
 * <p>Threads: {@link #get} remembers where the last element it found was (so that walking a list
 * by index costs one step per element); it and every change run on the keyspace's thread only.
 * {@link #forEach}, {@link #size}, {@link #bytes} and {@link #copy} read without that memory, so a
 * snapshot's writer may run them while the keyspace's thread reads the same list.
 */
public final class ListValue extends Collection {
    /** Encoded bytes a node takes before the next element starts a new node (Redis's 8 KiB listpacks). */
    static final int NODE_BYTES = 8192;
    /** Heap bytes of one node object (its array is counted apart). */
    private static final long NODE_OBJECT = MemoryModel.align(MemoryModel.OBJECT_HEADER + 3 * MemoryModel.REF + 3 * 4);

    private static final class Node {
        /** Elements in {@code data[start..end)}; room on either side. */
        byte[] data;
        int start;
        int end;
        int count;
        Node prev;
        Node next;

        Node(byte[] data, int start, int end, int count) {
            this.data = data;
            this.start = start;
            this.end = end;
            this.count = count;
        }

        int used() {
            return end - start;
        }
    }

    private Node head;
    private Node tail;
    private int size;
    /** Heap bytes of the nodes: their objects and their arrays. */
    private long nodeBytes;

    // Where get found its last element: node, the list index of the node's first element, the
    // element's list index and its offset in the node's array. Null after any change.
    private Node at;
    private int atBase;
    private int atIndex;
    private int atPos;

    public ListValue() {
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long bytes() {
        return MemoryModel.align(MemoryModel.OBJECT_HEADER + 3 * MemoryModel.REF + 4 * 4 + 8 + FIELDS) + nodeBytes;
    }

    @Override
    public Collection copy() {
        ListValue c = new ListValue();
        for (Node x = head; x != null; x = x.next) {
            c.link(new Node(Arrays.copyOfRange(x.data, x.start, x.end), 0, x.used(), x.count), c.tail);
        }
        c.size = size;
        return c;
    }

    @Override
    public String typeName() {
        return "list";
    }

    @Override
    public String encoding() {
        return "quicklist";
    }

    // ---- the element encoding: length, bytes, length (1 byte each under 128, else 4)

    private static int lengthBytes(int len) {
        return len < 128 ? 1 : 4;
    }

    private static int encoded(int len) {
        return len + 2 * lengthBytes(len);
    }

    /** Writes {@code v} encoded at {@code p}; returns the offset after it. */
    private static int put(byte[] d, int p, byte[] v) {
        int len = v.length;
        if (len < 128) {
            d[p++] = (byte) len;
            System.arraycopy(v, 0, d, p, len);
            p += len;
            d[p++] = (byte) len;
            return p;
        }
        d[p++] = (byte) (0x80 | len >>> 24);
        d[p++] = (byte) (len >>> 16);
        d[p++] = (byte) (len >>> 8);
        d[p++] = (byte) len;
        System.arraycopy(v, 0, d, p, len);
        p += len;
        d[p++] = (byte) len;
        d[p++] = (byte) (len >>> 8);
        d[p++] = (byte) (len >>> 16);
        d[p++] = (byte) (0x80 | len >>> 24);
        return p;
    }

    /** The length of the element whose encoding starts at {@code p}. */
    private static int lengthAt(byte[] d, int p) {
        int b = d[p];
        return b >= 0 ? b : (b & 0x7f) << 24 | (d[p + 1] & 0xff) << 16 | (d[p + 2] & 0xff) << 8 | d[p + 3] & 0xff;
    }

    /** The length of the element whose encoding ends just before {@code p}. */
    private static int lengthBefore(byte[] d, int p) {
        int b = d[p - 1];
        return b >= 0 ? b : (b & 0x7f) << 24 | (d[p - 2] & 0xff) << 16 | (d[p - 3] & 0xff) << 8 | d[p - 4] & 0xff;
    }

    private static byte[] element(byte[] d, int p) {
        int len = lengthAt(d, p);
        int from = p + lengthBytes(len);
        return Arrays.copyOfRange(d, from, from + len);
    }

    /** An array for a node about to hold {@code need} bytes: room to double, up to a full node. */
    private static int capacity(int need) {
        return need >= NODE_BYTES ? need : Math.min(NODE_BYTES, Math.max(16, 2 * need));
    }

    /**
     * An array for a new end node next to a full one: a whole node at once, since the list
     * already fills nodes (growing it from 16 bytes by doubling would allocate and copy twice
     * what it ends up holding); a list's first node starts small.
     */
    private static int capacityBeside(Node full, int need) {
        return full == null ? capacity(need) : Math.max(need, NODE_BYTES);
    }

    // ---- the chain

    /** Links {@code x} after {@code after} (first when null). */
    private void link(Node x, Node after) {
        x.prev = after;
        x.next = after == null ? head : after.next;
        if (x.next == null) {
            tail = x;
        } else {
            x.next.prev = x;
        }
        if (after == null) {
            head = x;
        } else {
            after.next = x;
        }
        nodeBytes += NODE_OBJECT + MemoryModel.byteArray(x.data.length);
    }

    private void unlink(Node x) {
        if (x.prev == null) {
            head = x.next;
        } else {
            x.prev.next = x.next;
        }
        if (x.next == null) {
            tail = x.prev;
        } else {
            x.next.prev = x.prev;
        }
        nodeBytes -= NODE_OBJECT + MemoryModel.byteArray(x.data.length);
    }

    private void replaceData(Node x, byte[] d, int start, int end) {
        nodeBytes += MemoryModel.byteArray(d.length) - MemoryModel.byteArray(x.data.length);
        x.data = d;
        x.start = start;
        x.end = end;
    }

    /** The first node with {@code n} free bytes before its elements, a new one if the first is full. */
    private Node roomAtHead(int n) {
        Node x = head;
        if (x == null || x.used() + n > NODE_BYTES) {
            int cap = capacityBeside(x, n);
            link(x = new Node(new byte[cap], cap, cap, 0), null);
        } else if (x.start < n) {
            int used = x.used();
            int cap = capacity(used + n);
            byte[] d = cap <= x.data.length ? x.data : new byte[cap];
            System.arraycopy(x.data, x.start, d, d.length - used, used);
            replaceData(x, d, d.length - used, d.length);
        }
        return x;
    }

    /** The last node with {@code n} free bytes after its elements, a new one if the last is full. */
    private Node roomAtTail(int n) {
        Node x = tail;
        if (x == null || x.used() + n > NODE_BYTES) {
            link(x = new Node(new byte[capacityBeside(x, n)], 0, 0, 0), tail);
        } else if (x.data.length - x.end < n) {
            int used = x.used();
            int cap = capacity(used + n);
            byte[] d = cap <= x.data.length ? x.data : new byte[cap];
            System.arraycopy(x.data, x.start, d, 0, used);
            replaceData(x, d, 0, used);
        }
        return x;
    }

    // ---- ends

    public void addFirst(byte[] v) {
        int n = encoded(v.length);
        Node x = roomAtHead(n);
        x.start -= n;
        put(x.data, x.start, v);
        x.count++;
        size++;
        at = null;
    }

    public void addLast(byte[] v) {
        Node x = roomAtTail(encoded(v.length));
        x.end = put(x.data, x.end, v);
        x.count++;
        size++;
        at = null;
    }

    /** Appends an element already encoded at {@code src[p..p+n)}. */
    private void addEncoded(byte[] src, int p, int n) {
        Node x = roomAtTail(n);
        System.arraycopy(src, p, x.data, x.end, n);
        x.end += n;
        x.count++;
        size++;
    }

    public byte[] removeFirst() {
        Node x = head;
        byte[] v = element(x.data, x.start);
        x.start += encoded(v.length);
        removed(x);
        return v;
    }

    public byte[] removeLast() {
        Node x = tail;
        int len = lengthBefore(x.data, x.end);
        x.end -= encoded(len);
        int from = x.end + lengthBytes(len);
        byte[] v = Arrays.copyOfRange(x.data, from, from + len);
        removed(x);
        return v;
    }

    /** Removes the first element, handing it to {@code out} as a slice of the node first (no copy). */
    public void removeFirst(Slice out) {
        Node x = head;
        int len = lengthAt(x.data, x.start);
        int from = x.start + lengthBytes(len);
        out.accept(x.data, from, from + len);
        x.start += encoded(len);
        removed(x);
    }

    /** Removes the last element, handing it to {@code out} as a slice of the node first (no copy). */
    public void removeLast(Slice out) {
        Node x = tail;
        int len = lengthBefore(x.data, x.end);
        x.end -= encoded(len);
        int from = x.end + lengthBytes(len);
        out.accept(x.data, from, from + len);
        removed(x);
    }

    /** After an element left {@code x}: unlinks it when empty. */
    private void removed(Node x) {
        x.count--;
        size--;
        if (x.count == 0) {
            unlink(x);
        }
        at = null;
    }

    // ---- by index

    /** Points {@link #at} at element {@code i} (0 &lt;= i &lt; size), from the nearest known place. */
    private void seek(int i) {
        if (at != null && atIndex == i) {
            return;
        }
        Node x;
        int base;
        boolean near = at != null && Math.abs(i - atIndex) < Math.min(i, size - 1 - i);
        if (near) {
            x = at;
            base = atBase;
        } else if (i < size - i) {
            x = head;
            base = 0;
        } else {
            x = tail;
            base = size - tail.count;
        }
        while (i < base) {
            x = x.prev;
            base -= x.count;
        }
        while (i >= base + x.count) {
            base += x.count;
            x = x.next;
        }
        int k = i - base;
        byte[] d = x.data;
        int pos;
        int from;
        if (near && x == at && Math.abs(i - atIndex) < Math.min(k, x.count - 1 - k)) {
            pos = atPos;
            from = atIndex - base;
        } else if (k <= x.count - 1 - k) {
            pos = x.start;
            from = 0;
        } else {
            pos = x.end;
            from = x.count;
        }
        for (; from < k; from++) {
            pos += encoded(lengthAt(d, pos));
        }
        for (; from > k; from--) {
            pos -= encoded(lengthBefore(d, pos));
        }
        at = x;
        atBase = base;
        atIndex = i;
        atPos = pos;
    }

    public byte[] get(int i) {
        seek(i);
        return element(at.data, atPos);
    }

    /** Whether element {@code i} is {@code v}, compared where it lies (no copy; consecutive indexes cost one step). */
    public boolean matches(int i, byte[] v) {
        seek(i);
        byte[] d = at.data;
        int len = lengthAt(d, atPos);
        if (len != v.length) {
            return false;
        }
        int from = atPos + lengthBytes(len);
        return Arrays.equals(d, from, from + len, v, 0, len);
    }

    public void set(int i, byte[] v) {
        seek(i);
        Node x = at;
        int old = encoded(lengthAt(x.data, atPos));
        if (old == encoded(v.length)) {
            put(x.data, atPos, v);
        } else {
            splice(x, atPos, old, v);
            split(x);
        }
        at = null;
    }

    /** Inserts {@code v} so that it becomes element {@code i} (0..size). */
    public void insert(int i, byte[] v) {
        if (i == 0) {
            addFirst(v);
        } else if (i == size) {
            addLast(v);
        } else {
            seek(i);
            Node x = at;
            splice(x, atPos, 0, v);
            size++;
            split(x);
            at = null;
        }
    }

    /** Removes element {@code i}. */
    public byte[] remove(int i) {
        seek(i);
        Node x = at;
        byte[] v = element(x.data, atPos);
        if (x.count > 1) {
            splice(x, atPos, encoded(v.length), null);
            merge(x);
        } else {
            unlink(x);
        }
        size--;
        at = null;
        return v;
    }

    /** Rewrites {@code x} as exactly its bytes with {@code cut} bytes at {@code pos} replaced by {@code v} (or by nothing). */
    private void splice(Node x, int pos, int cut, byte[] v) {
        int add = v == null ? 0 : encoded(v.length);
        int used = x.used() - cut + add;
        byte[] d = new byte[used];
        int before = pos - x.start;
        System.arraycopy(x.data, x.start, d, 0, before);
        int p = v == null ? before : put(d, before, v);
        System.arraycopy(x.data, pos + cut, d, p, x.end - pos - cut);
        replaceData(x, d, 0, used);
        x.count += (v == null ? 0 : 1) - (cut > 0 ? 1 : 0);
    }

    /** Splits a node over {@link #NODE_BYTES} with more than one element in halves, until none is. */
    private void split(Node x) {
        if (x.used() <= NODE_BYTES || x.count < 2) {
            return;
        }
        byte[] d = x.data;
        int pos = x.start;
        int k = 0;
        int half = x.start + x.used() / 2;
        do {
            pos += encoded(lengthAt(d, pos));
            k++;
        } while (k < x.count - 1 && pos < half);
        Node y = new Node(Arrays.copyOfRange(d, pos, x.end), 0, x.end - pos, x.count - k);
        x.count = k;
        replaceData(x, Arrays.copyOfRange(d, x.start, pos), 0, pos - x.start);
        link(y, x);
        split(x);
        split(y);
    }

    /** Joins a node that shrank under a quarter of {@link #NODE_BYTES} with a neighbour they both fit in. */
    private void merge(Node x) {
        if (x.used() >= NODE_BYTES / 4) {
            return;
        }
        Node a = x.prev != null && x.prev.used() + x.used() <= NODE_BYTES ? x.prev
            : x.next != null && x.next.used() + x.used() <= NODE_BYTES ? x : null;
        if (a == null) {
            return;
        }
        Node b = a.next;
        byte[] d = new byte[a.used() + b.used()];
        System.arraycopy(a.data, a.start, d, 0, a.used());
        System.arraycopy(b.data, b.start, d, a.used(), b.used());
        a.count += b.count;
        replaceData(a, d, 0, d.length);
        unlink(b);
    }

    /** Receives an element as {@code array[from..to)}, to be read at once and not kept. */
    public interface Slice {
        void accept(byte[] array, int from, int to);
    }

    /** Calls {@code out} with elements {@code from..to} (inclusive, within bounds), head to tail, copying none. */
    public void range(int from, int to, Slice out) {
        if (from > to) {
            return;
        }
        seek(from);
        Node x = at;
        byte[] d = x.data;
        int pos = atPos;
        int left = x.count - (from - atBase);
        for (int i = from; i <= to; i++) {
            if (left == 0) {
                x = x.next;
                d = x.data;
                pos = x.start;
                left = x.count;
            }
            int len = lengthAt(d, pos);
            int h = lengthBytes(len);
            out.accept(d, pos + h, pos + h + len);
            pos += len + 2 * h;
            left--;
        }
    }

    // ---- whole-list passes

    /** Calls {@code f} with each element, head to tail, without touching what {@link #get} remembers. */
    public void forEach(Consumer<byte[]> f) {
        for (Node x = head; x != null; x = x.next) {
            byte[] d = x.data;
            for (int p = x.start, k = 0; k < x.count; k++) {
                f.accept(element(d, p));
                p += encoded(lengthAt(d, p));
            }
        }
    }

    /** Keeps elements {@code from..to} (inclusive; the caller checked the bounds; to &lt; from keeps none). */
    public void keep(int from, int to) {
        ListValue kept = new ListValue();
        int i = 0;
        for (Node x = head; x != null && i <= to; x = x.next) {
            if (i + x.count <= from) {
                i += x.count;
                continue;
            }
            byte[] d = x.data;
            for (int p = x.start, k = 0; k < x.count && i <= to; k++, i++) {
                int n = encoded(lengthAt(d, p));
                if (i >= from) {
                    kept.addEncoded(d, p, n);
                }
                p += n;
            }
        }
        adopt(kept);
    }

    /** Removes the elements at {@code indexes[0..n)}, which ascend. */
    public void removeAt(int[] indexes, int n) {
        ListValue kept = new ListValue();
        int i = 0;
        int next = 0;
        for (Node x = head; x != null; x = x.next) {
            byte[] d = x.data;
            for (int p = x.start, k = 0; k < x.count; k++, i++) {
                int len = encoded(lengthAt(d, p));
                if (next < n && indexes[next] == i) {
                    next++;
                } else {
                    kept.addEncoded(d, p, len);
                }
                p += len;
            }
        }
        adopt(kept);
    }

    private void adopt(ListValue o) {
        head = o.head;
        tail = o.tail;
        size = o.size;
        nodeBytes = o.nodeBytes;
        at = null;
    }
}
