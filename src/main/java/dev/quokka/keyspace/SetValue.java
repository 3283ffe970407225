package dev.quokka.keyspace;

import dev.quokka.protocol.Numbers;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A set. While every member is a canonical 64-bit integer and there are at most
 * {@code set-max-intset-entries} of them it is Redis's {@code intset}: a sorted {@code long[]};
 * otherwise a {@code hashtable} ({@link BytesMap} with null values), for good.
 */
public final class SetValue extends Collection {
    private long[] ints;
    private int n;
    private BytesMap map;
    private long elementBytes;

    /** An empty set in the encoding Redis would pick for a first member {@code first}. */
    public SetValue(byte[] first) {
        if (first != null && Numbers.isLong(first)) {
            ints = new long[4];
        } else {
            map = new BytesMap();
        }
    }

    @Override
    public int size() {
        return map != null ? map.size() : n;
    }

    @Override
    public long bytes() {
        long self = MemoryModel.align(MemoryModel.OBJECT_HEADER + 2L * MemoryModel.REF + 4 + 8 + FIELDS);
        if (map != null) {
            return self + map.tableBytes() + (long) map.size() * BytesMap.NODE + elementBytes;
        }
        return self + MemoryModel.align(MemoryModel.ARRAY_HEADER + 8L * ints.length);
    }

    @Override
    public Collection copy() {
        SetValue s = new SetValue(map == null ? new byte[] {'0'} : null);
        if (map == null) {
            s.ints = Arrays.copyOf(ints, Math.max(4, n));
            s.n = n;
        } else {
            forEach(m -> s.map.add(m, null));
            s.elementBytes = elementBytes;
        }
        return s;
    }

    @Override
    public String typeName() {
        return "set";
    }

    @Override
    public String encoding() {
        return map != null ? "hashtable" : "intset";
    }

    private static boolean isInt(byte[] m) {
        return m.length <= 20 && Numbers.isLong(m);
    }

    public boolean contains(byte[] m) {
        if (map != null) {
            return map.get(m) != null;
        }
        return isInt(m) && Arrays.binarySearch(ints, 0, n, Numbers.parseLong(m)) >= 0;
    }

    /** Adds a member; returns whether it was new. */
    public boolean add(byte[] m, long maxIntset) {
        if (map == null) {
            if (isInt(m)) {
                long v = Numbers.parseLong(m);
                int i = Arrays.binarySearch(ints, 0, n, v);
                if (i >= 0) {
                    return false;
                }
                i = -i - 1;
                if (n == ints.length) {
                    ints = Arrays.copyOf(ints, ints.length * 2);
                }
                System.arraycopy(ints, i, ints, i + 1, n - i);
                ints[i] = v;
                n++;
                if (n > maxIntset) {
                    toMap();
                }
                return true;
            }
            toMap();
        }
        if (map.get(m) != null) {
            return false;
        }
        map.add(m, null);
        elementBytes += MemoryModel.byteArray(m.length);
        return true;
    }

    public boolean remove(byte[] m) {
        if (map != null) {
            if (map.remove(m) == null) {
                return false;
            }
            elementBytes -= MemoryModel.byteArray(m.length);
            return true;
        }
        if (!isInt(m)) {
            return false;
        }
        int i = Arrays.binarySearch(ints, 0, n, Numbers.parseLong(m));
        if (i < 0) {
            return false;
        }
        System.arraycopy(ints, i + 1, ints, i, n - i - 1);
        n--;
        return true;
    }

    private void toMap() {
        BytesMap m = new BytesMap();
        long eb = 0;
        for (int i = 0; i < n; i++) {
            byte[] b = Numbers.toBytes(ints[i]);
            m.add(b, null);
            eb += MemoryModel.byteArray(b.length);
        }
        map = m;
        elementBytes = eb;
        ints = null;
        n = 0;
    }

    /** Every member (intset: ascending). */
    public void forEach(Consumer<byte[]> visitor) {
        if (map != null) {
            map.forEach(node -> visitor.accept(node.key()));
        } else {
            for (int i = 0; i < n; i++) {
                visitor.accept(Numbers.toBytes(ints[i]));
            }
        }
    }

    public byte[][] members() {
        byte[][] out = new byte[size()][];
        int[] k = {0};
        forEach(m -> out[k[0]++] = m);
        return out;
    }

    /** A uniformly random member, or null when empty. */
    public byte[] random() {
        if (map != null) {
            BytesMap.Node node = map.random();
            return node == null ? null : node.key();
        }
        return n == 0 ? null : Numbers.toBytes(ints[ThreadLocalRandom.current().nextInt(n)]);
    }

    /** The hashtable, for SSCAN's cursor (null in intset form, which SSCAN returns whole). */
    public BytesMap map() {
        return map;
    }

    @Override
    BytesMap index() {
        return map;
    }
}
