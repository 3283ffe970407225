package dev.quokka.keyspace;

import java.util.Arrays;

/**
 * A list: a circular array of elements, O(1) at both ends and by index, as Redis's quicklist is
 * at the ends (Redis 7.0 reports every list as {@code quicklist}; lists use listpack
 * encoding only from 7.2). Elements are immutable {@code byte[]}.
 */
public final class ListValue extends Collection {
    private byte[][] items;
    private int head;
    private int size;
    private long elementBytes;

    public ListValue() {
        items = new byte[4][];
    }

    private ListValue(ListValue o) {
        items = new byte[Math.max(4, Integer.highestOneBit(Math.max(1, o.size)) << 1)][];
        for (int i = 0; i < o.size; i++) {
            items[i] = o.get(i);
        }
        size = o.size;
        elementBytes = o.elementBytes;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long bytes() {
        return MemoryModel.align(MemoryModel.OBJECT_HEADER + MemoryModel.REF + 4 * 2 + 8 + FIELDS)
            + MemoryModel.refArray(items.length) + elementBytes;
    }

    @Override
    public Collection copy() {
        return new ListValue(this);
    }

    @Override
    public String typeName() {
        return "list";
    }

    @Override
    public String encoding() {
        return "quicklist";
    }

    private int slot(int i) {
        return (head + i) & (items.length - 1);
    }

    public byte[] get(int i) {
        return items[slot(i)];
    }

    public void set(int i, byte[] v) {
        int s = slot(i);
        elementBytes += MemoryModel.byteArray(v.length) - MemoryModel.byteArray(items[s].length);
        items[s] = v;
    }

    private void grow() {
        if (size == items.length) {
            byte[][] a = new byte[items.length * 2][];
            for (int i = 0; i < size; i++) {
                a[i] = items[slot(i)];
            }
            items = a;
            head = 0;
        }
    }

    public void addFirst(byte[] v) {
        grow();
        head = (head - 1) & (items.length - 1);
        items[head] = v;
        size++;
        elementBytes += MemoryModel.byteArray(v.length);
    }

    public void addLast(byte[] v) {
        grow();
        items[slot(size)] = v;
        size++;
        elementBytes += MemoryModel.byteArray(v.length);
    }

    public byte[] removeFirst() {
        int s = head;
        byte[] v = items[s];
        items[s] = null;
        head = (head + 1) & (items.length - 1);
        size--;
        elementBytes -= MemoryModel.byteArray(v.length);
        maybeShrink();
        return v;
    }

    public byte[] removeLast() {
        int s = slot(size - 1);
        byte[] v = items[s];
        items[s] = null;
        size--;
        elementBytes -= MemoryModel.byteArray(v.length);
        maybeShrink();
        return v;
    }

    /** Inserts {@code v} so that it becomes element {@code i} (0..size). */
    public void insert(int i, byte[] v) {
        if (i == 0) {
            addFirst(v);
            return;
        }
        grow();
        byte[][] a = linear();
        System.arraycopy(a, i, a, i + 1, size - i);
        a[i] = v;
        size++;
        elementBytes += MemoryModel.byteArray(v.length);
    }

    /** Removes element {@code i}. */
    public byte[] remove(int i) {
        if (i == 0) {
            return removeFirst();
        }
        byte[][] a = linear();
        byte[] v = a[i];
        System.arraycopy(a, i + 1, a, i, size - i - 1);
        a[--size] = null;
        elementBytes -= MemoryModel.byteArray(v.length);
        maybeShrink();
        return v;
    }

    /** Keeps elements {@code from..to} (inclusive; the caller checked the bounds). */
    public void keep(int from, int to) {
        byte[][] a = linear();
        long removed = 0;
        for (int i = 0; i < size; i++) {
            if (i < from || i > to) {
                removed += MemoryModel.byteArray(a[i].length);
            }
        }
        int n = to - from + 1;
        byte[][] b = new byte[Math.max(4, Integer.highestOneBit(Math.max(1, n)) << 1)][];
        System.arraycopy(a, from, b, 0, n);
        items = b;
        head = 0;
        size = n;
        elementBytes -= removed;
    }

    /** Removes elements by a predicate pass: keeps those whose flag in {@code drop} is false. */
    public void removeFlagged(boolean[] drop) {
        byte[][] a = linear();
        int w = 0;
        for (int i = 0; i < size; i++) {
            if (drop[i]) {
                elementBytes -= MemoryModel.byteArray(a[i].length);
            } else {
                a[w++] = a[i];
            }
        }
        Arrays.fill(a, w, size, null);
        size = w;
        maybeShrink();
    }

    /** Rearranges the ring so that element i is at index i of the returned backing array. */
    private byte[][] linear() {
        if (head != 0) {
            byte[][] a = new byte[items.length][];
            for (int i = 0; i < size; i++) {
                a[i] = items[slot(i)];
            }
            items = a;
            head = 0;
        }
        return items;
    }

    private void maybeShrink() {
        if (items.length > 16 && size * 4 < items.length) {
            byte[][] a = new byte[items.length / 2][];
            for (int i = 0; i < size; i++) {
                a[i] = items[slot(i)];
            }
            items = a;
            head = 0;
        }
    }
}
