package dev.quokka.keyspace;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * A hash. Small hashes are Redis's {@code listpack}: field/value pairs in one flat array, in
 * insertion order, searched linearly; past {@code hash-max-listpack-entries} fields, or with a
 * field or value longer than {@code hash-max-listpack-value} bytes, it becomes a
 * {@code hashtable} ({@link BytesMap}) for good, as in Redis.
 */
public final class HashValue extends Collection {
    /** Listpack form: fields at even, values at odd indexes; null once converted. */
    private byte[][] flat;
    private int n;
    private BytesMap map;
    private long elementBytes;

    public HashValue() {
        flat = new byte[8][];
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
        return self + MemoryModel.refArray(flat.length) + elementBytes;
    }

    @Override
    public Collection copy() {
        HashValue h = new HashValue();
        forEach(h::putRaw);
        if (map != null && h.map == null) {
            h.toMap();
        }
        return h;
    }

    private void putRaw(byte[] f, byte[] v) {
        if (map != null) {
            map.add(f, v);
        } else {
            if (2 * n + 2 > flat.length) {
                flat = Arrays.copyOf(flat, flat.length * 2);
            }
            flat[2 * n] = f;
            flat[2 * n + 1] = v;
            n++;
        }
        elementBytes += MemoryModel.byteArray(f.length) + MemoryModel.byteArray(v.length);
    }

    @Override
    public String typeName() {
        return "hash";
    }

    @Override
    public String encoding() {
        return map != null ? "hashtable" : "listpack";
    }

    public boolean compact() {
        return map == null;
    }

    private int indexOf(byte[] field) {
        for (int i = 0; i < n; i++) {
            if (Arrays.equals(flat[2 * i], field)) {
                return i;
            }
        }
        return -1;
    }

    public byte[] get(byte[] field) {
        if (map != null) {
            BytesMap.Node node = map.get(field);
            return node == null ? null : (byte[]) node.value();
        }
        int i = indexOf(field);
        return i < 0 ? null : flat[2 * i + 1];
    }

    /**
     * Sets a field; returns true when it is new. Converts to a hashtable first when the field
     * or value is longer than {@code maxValue}, after when there are more than {@code maxEntries}.
     */
    public boolean put(byte[] field, byte[] value, long maxEntries, long maxValue) {
        if (map == null && (field.length > maxValue || value.length > maxValue)) {
            toMap();
        }
        if (map != null) {
            BytesMap.Node node = map.get(field);
            if (node != null) {
                byte[] old = (byte[]) node.value();
                if (Arrays.equals(old, value)) {
                    // The same bytes: keeping the old array is the same value, without an old node
                    // pointing at a young array (the collector's write barrier and remembered set).
                    return false;
                }
                elementBytes += MemoryModel.byteArray(value.length) - MemoryModel.byteArray(old.length);
                node.value(value);
                return false;
            }
            putRaw(field, value);
            return true;
        }
        int i = indexOf(field);
        if (i >= 0) {
            elementBytes += MemoryModel.byteArray(value.length) - MemoryModel.byteArray(flat[2 * i + 1].length);
            flat[2 * i + 1] = value;
            return false;
        }
        putRaw(field, value);
        if (n > maxEntries) {
            toMap();
        }
        return true;
    }

    public boolean remove(byte[] field) {
        if (map != null) {
            BytesMap.Node node = map.remove(field);
            if (node == null) {
                return false;
            }
            elementBytes -= MemoryModel.byteArray(field.length) + MemoryModel.byteArray(((byte[]) node.value()).length);
            return true;
        }
        int i = indexOf(field);
        if (i < 0) {
            return false;
        }
        elementBytes -= MemoryModel.byteArray(flat[2 * i].length) + MemoryModel.byteArray(flat[2 * i + 1].length);
        System.arraycopy(flat, 2 * i + 2, flat, 2 * i, 2 * (n - i - 1));
        n--;
        flat[2 * n] = null;
        flat[2 * n + 1] = null;
        return true;
    }

    private void toMap() {
        BytesMap m = new BytesMap();
        for (int i = 0; i < n; i++) {
            m.add(flat[2 * i], flat[2 * i + 1]);
        }
        map = m;
        flat = null;
        n = 0;
    }

    /** Every field and value, in insertion order (listpack) or table order. */
    public void forEach(BiConsumer<byte[], byte[]> visitor) {
        if (map != null) {
            map.forEach(node -> visitor.accept(node.key(), (byte[]) node.value()));
        } else {
            for (int i = 0; i < n; i++) {
                visitor.accept(flat[2 * i], flat[2 * i + 1]);
            }
        }
    }

    /** Fields and values as one flat array [f0, v0, f1, v1, ...]. */
    public byte[][] pairs() {
        byte[][] out = new byte[2 * size()][];
        int[] k = {0};
        forEach((f, v) -> {
            out[k[0]++] = f;
            out[k[0]++] = v;
        });
        return out;
    }

    /** The hashtable, for HSCAN's cursor (null in listpack form, which HSCAN returns whole). */
    public BytesMap map() {
        return map;
    }

    @Override
    BytesMap index() {
        return map;
    }
}
