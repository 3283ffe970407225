package dev.quokka.keyspace;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;

/**
 * What the keyspace's objects cost on the running JVM (ARCHITECTURE invariant 7): object and
 * array headers, reference size and alignment, read from the VM's own options at start, so that
 * the estimate follows compact object headers (JDK 25, 8-byte headers) and compressed
 * references. {@code MemoryModelTest} checks each estimate against the heap layout that JOL
 * measures.
 */
public final class MemoryModel {
    /** Bytes of an object's header (mark word and class pointer). */
    public static final int OBJECT_HEADER;
    /** Bytes of an array's header (object header and length), before the elements. */
    public static final int ARRAY_HEADER;
    /** Bytes of a reference. */
    public static final int REF;
    /** Object alignment. */
    public static final int ALIGN;
    /**
     * One {@link Entry}: header, value/next/key-tail references, expiry, the key's two inline
     * words, volatile slot, access field, value shape and key length.
     */
    public static final int ENTRY;

    static {
        boolean compact = flag("UseCompactObjectHeaders", false);
        boolean compressedOops = flag("UseCompressedOops", true);
        boolean compressedClass = flag("UseCompressedClassPointers", true);
        int align = 8;
        try {
            align = Integer.parseInt(diagnostic().getVMOption("ObjectAlignmentInBytes").getValue());
        } catch (RuntimeException e) {
            // keep 8
        }
        ALIGN = align;
        REF = compressedOops ? 4 : 8;
        OBJECT_HEADER = compact ? 8 : compressedClass ? 12 : 16;
        ARRAY_HEADER = OBJECT_HEADER + 4;
        ENTRY = align(OBJECT_HEADER + 3 * REF + 8 + 8 + 8 + 4 + 4 + 2 + 1);
    }

    private MemoryModel() {
    }

    private static HotSpotDiagnosticMXBean diagnostic() {
        return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    }

    private static boolean flag(String name, boolean dflt) {
        try {
            return Boolean.parseBoolean(diagnostic().getVMOption(name).getValue());
        } catch (RuntimeException e) {
            return dflt; // an option this JDK does not have
        }
    }

    static int align(long n) {
        return (int) ((n + ALIGN - 1) / ALIGN * ALIGN);
    }

    /** A {@code byte[]} of {@code n} bytes. */
    public static long byteArray(int n) {
        return align((long) ARRAY_HEADER + n);
    }

    /** An array of {@code n} references. */
    public static long refArray(int n) {
        return align((long) ARRAY_HEADER + (long) n * REF);
    }

    /** A value as stored (strings are bare {@code byte[]}; a collection as last settled). */
    public static long value(Object v) {
        if (v instanceof byte[] b) {
            return byteArray(b.length);
        }
        if (v instanceof Collection c) {
            return c.accounted; // what its database counted; settled after each change (Database#settle)
        }
        return 0;
    }

    /** A whole key: its entry (with the key's first 16 bytes), the rest of the key and the value. */
    public static long entry(int keyLength, Object value) {
        return key(keyLength) + value(value);
    }

    /** An entry without its value: the entry with the key's first 16 bytes, and the rest of the key. */
    public static long key(int keyLength) {
        return ENTRY + (keyLength > Entry.INLINE ? byteArray(keyLength - Entry.INLINE) : 0);
    }

    public static long entry(byte[] key, Object value) {
        return entry(key.length, value);
    }
}
