package dev.quokka.persistence;

/**
 * Redis's CRC-64 (Jones: polynomial 0xad93d23594c935a9, reflected, initial value 0, no final
 * xor), which checks DUMP payloads and RDB files; {@code crc(0, "123456789")} is
 * {@code 0xe9c6d914c4b8d9ca}.
 */
public final class Crc64 {
    private static final long[] TABLE = new long[256];

    static {
        long poly = 0x95AC9329AC4BC9B5L; // 0xad93d23594c935a9 reflected
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc64() {
    }

    public static long crc(long crc, byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            crc = TABLE[(int) ((crc ^ b[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }
}
