package dev.quokka.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Encodes replies into a connection's output buffer, in RESP2 or RESP3 ({@code HELLO 3}).
 *
 * <p>The buffer is set per read batch with {@link #target}; all replies produced while serving
 * one batch of pipelined requests go into it and leave in one write. Small pieces are gathered
 * in a heap array first and reach the target in one copy when it is switched or flushed, or
 * when the array fills: a reply of a few bytes is then a few array stores rather than several
 * calls into a direct buffer, each with its bounds, reference-count and copy overheads.
 *
 * <p>Types missing from RESP2 degrade as redis-server 7.0 does: maps become flat arrays, sets
 * arrays, doubles bulk strings, nulls {@code $-1} or {@code *-1}.
 */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] NULL_BULK = ascii("$-1\r\n");
    private static final byte[] NULL_ARRAY = ascii("*-1\r\n");
    private static final byte[] NULL3 = ascii("_\r\n");
    private static final byte[] EMPTY_ARRAY = ascii("*0\r\n");
    private static final byte[][] INTEGERS = new byte[128][];
    private static final byte[][] BULK_HEADERS = new byte[128][];
    private static final byte[][] ARRAY_HEADERS = new byte[128][];

    static {
        for (int i = 0; i < 128; i++) {
            INTEGERS[i] = ascii(":" + i + "\r\n");
            BULK_HEADERS[i] = ascii("$" + i + "\r\n");
            ARRAY_HEADERS[i] = ascii("*" + i + "\r\n");
        }
    }

    /** Pieces at least this long go straight to the target instead of through {@link #pending}. */
    private static final int DIRECT = 512;

    private final byte[] scratch = new byte[24];
    private ByteBuf out;
    /** Bytes written since the last flush, not yet in {@link #out}. */
    private final byte[] pending = new byte[4096];
    private int pendingLength;
    private int resp = 2;
    /** When false, replies are dropped ({@code CLIENT REPLY OFF/SKIP}). */
    private boolean enabled = true;
    private long errors;
    /** The text {@link #errorUncounted} last wrote, by identity, and its encoding. */
    private String lastError;
    private byte[] lastErrorBytes;
    private Consumer<String> errorListener = e -> { };

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The buffer replies go into until the next call; what was written before goes to the previous one. */
    public void target(ByteBuf out) {
        flush();
        this.out = out;
    }

    /** Moves what was written so far into the target buffer. */
    public void flush() {
        if (pendingLength > 0) {
            out.writeBytes(pending, 0, pendingLength);
            pendingLength = 0;
        }
    }

    /** The position of the next reply, for {@link #rewind}. */
    public int mark() {
        return out.writerIndex() + pendingLength;
    }

    /** Drops what was written since {@code mark}. */
    public void rewind(int mark) {
        int flushed = out.writerIndex();
        if (mark >= flushed) {
            pendingLength = mark - flushed;
        } else {
            pendingLength = 0;
            out.writerIndex(mark);
        }
    }

    private void put(byte b) {
        if (pendingLength == pending.length) {
            flush();
        }
        pending[pendingLength++] = b;
    }

    private void put(byte[] b) {
        put(b, 0, b.length);
    }

    private void put(byte[] b, int from, int length) {
        if (length >= DIRECT) {
            flush();
            out.writeBytes(b, from, length);
            return;
        }
        if (length > pending.length - pendingLength) {
            flush();
        }
        System.arraycopy(b, from, pending, pendingLength, length);
        pendingLength += length;
    }

    public ByteBuf target() {
        return out;
    }

    public int resp() {
        return resp;
    }

    public void resp(int version) {
        this.resp = version;
    }

    public void enabled(boolean on) {
        this.enabled = on;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Called with the text of every error reply (for INFO errorstats). */
    public void onError(Consumer<String> listener) {
        this.errorListener = listener;
    }

    /** How many error replies this writer produced (for INFO {@code total_error_replies}). */
    public long errors() {
        return errors;
    }

    public void raw(byte[] bytes) {
        if (enabled) {
            put(bytes);
        }
    }

    public void ok() {
        raw(OK);
    }

    /** A status reply: {@code +text}. */
    public void simple(String text) {
        if (enabled) {
            put((byte) '+');
            writeAscii(text);
            put(CRLF);
        }
    }

    /**
     * An error reply. {@code text} is the whole message including its code, e.g.
     * {@code ERR syntax error} or {@code WRONGTYPE ...}; CR and LF at its end are dropped and
     * the others become spaces, as in Redis.
     */
    public void error(String text) {
        errorListener.accept(text);
        errorUncounted(text);
    }

    /**
     * An error reply that INFO errorstats do not count again (a script's error raised by a
     * command that was counted when it failed); the command replying it still failed.
     */
    public void errorUncounted(String text) {
        errors++;
        if (enabled) {
            // The same error again (a flood of NOAUTH, a pipeline of WRONGTYPE) is encoded once.
            if (text != lastError) {
                lastErrorBytes = encodeError(text);
                lastError = text;
            }
            put(lastErrorBytes);
        }
    }

    private static byte[] encodeError(String text) {
        // Redis trims CR and LF from the end of a formatted error (sdstrim), then maps the rest.
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\r' || text.charAt(end - 1) == '\n')) {
            end--;
        }
        byte[] b = new byte[end + 3];
        b[0] = '-';
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            b[i + 1] = (byte) (c == '\r' || c == '\n' ? ' ' : c);
        }
        b[end + 1] = '\r';
        b[end + 2] = '\n';
        return b;
    }

    public void integer(long v) {
        if (!enabled) {
            return;
        }
        if (v >= 0 && v < INTEGERS.length) {
            put(INTEGERS[(int) v]);
        } else {
            put((byte) ':');
            writeLong(v);
            put(CRLF);
        }
    }

    public void bulk(byte[] b) {
        if (!enabled) {
            return;
        }
        bulkHeader(b.length);
        put(b);
        put(CRLF);
    }

    public void bulk(byte[] b, int from, int to) {
        if (!enabled) {
            return;
        }
        bulkHeader(to - from);
        put(b, from, to - from);
        put(CRLF);
    }

    private void bulkHeader(int length) {
        if (length < BULK_HEADERS.length) {
            put(BULK_HEADERS[length]);
        } else {
            put((byte) '$');
            writeLong(length);
            put(CRLF);
        }
    }

    public void bulk(String s) {
        bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A bulk string holding the decimal form of {@code v}. */
    public void bulkLong(long v) {
        bulk(Numbers.toBytes(v));
    }

    /** The null of a missing string: {@code $-1} (RESP2) or {@code _} (RESP3). */
    public void nullBulk() {
        raw(resp == 3 ? NULL3 : NULL_BULK);
    }

    /** The null of a missing aggregate: {@code *-1} (RESP2) or {@code _} (RESP3). */
    public void nullArray() {
        raw(resp == 3 ? NULL3 : NULL_ARRAY);
    }

    public void array(int n) {
        if (!enabled) {
            return;
        }
        if (n < ARRAY_HEADERS.length) {
            put(ARRAY_HEADERS[n]);
        } else {
            header('*', n);
        }
    }

    public void emptyArray() {
        raw(EMPTY_ARRAY);
    }

    /** A push message of {@code n} elements: {@code >n} in RESP3, an array in RESP2 (pub/sub). */
    public void push(int n) {
        if (resp == 3) {
            if (enabled) {
                header('>', n);
            }
        } else {
            array(n);
        }
    }

    /** A map of {@code n} pairs: {@code %n} in RESP3, an array of 2n in RESP2. */
    public void map(int n) {
        if (resp == 3) {
            if (enabled) {
                header('%', n);
            }
        } else {
            array(n * 2);
        }
    }

    /** An attribute of {@code n} pairs ({@code |n}), RESP3 only: the caller writes none in RESP2. */
    public void attribute(int n) {
        if (resp == 3 && enabled) {
            header('|', n);
        }
    }

    /** A big number: {@code (digits} in RESP3, a bulk string in RESP2. */
    public void bigNumber(String digits) {
        scalar('(', digits);
    }

    /** A set: {@code ~n} in RESP3, an array in RESP2. */
    public void set(int n) {
        if (resp == 3) {
            if (enabled) {
                header('~', n);
            }
        } else {
            array(n);
        }
    }

    /** A double: {@code ,d} in RESP3, a bulk string in RESP2, formatted as Redis does. */
    public void dbl(double d) {
        scalar(',', Numbers.formatDouble(d));
    }

    /**
     * A double in Redis's human form ({@code addReplyHumanLongDouble}: up to 17 decimals, trailing
     * zeros dropped, as GEOPOS's coordinates): {@code ,d} in RESP3, a bulk string in RESP2.
     */
    public void humanDouble(double d) {
        scalar(',', Numbers.formatHuman(new java.math.BigDecimal(d)));
    }

    /** A RESP3 scalar of {@code type} ({@code ,} double, {@code (} big number) with this text; RESP2: a bulk string. */
    private void scalar(char type, String text) {
        if (resp == 3) {
            if (enabled) {
                put((byte) type);
                writeAscii(text);
                put(CRLF);
            }
        } else {
            bulk(ascii(text));
        }
    }

    /** A boolean: {@code #t}/{@code #f} in RESP3, :1/:0 in RESP2. */
    public void bool(boolean b) {
        if (resp == 3) {
            simpleRaw(b ? "#t\r\n" : "#f\r\n");
        } else {
            integer(b ? 1 : 0);
        }
    }

    /** A verbatim string ({@code =len\r\ntxt:...}) in RESP3, a bulk string in RESP2. */
    public void verbatim(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        verbatim("txt", b, 0, b.length);
    }

    /** A verbatim string of a three-letter {@code format} ({@code txt}, {@code mkd}), a bulk string in RESP2. */
    public void verbatim(String format, byte[] b, int from, int length) {
        if (resp == 3) {
            if (enabled) {
                header('=', length + 4);
                writeAscii(format);
                put((byte) ':');
                put(b, from, length);
                put(CRLF);
            }
        } else {
            bulk(b, from, from + length);
        }
    }

    private void simpleRaw(String s) {
        if (enabled) {
            writeAscii(s);
        }
    }

    private void header(char type, long n) {
        put((byte) type);
        writeLong(n);
        put(CRLF);
    }

    private void writeLong(long v) {
        int start = Numbers.digitsInto(v, scratch, scratch.length);
        put(scratch, start, scratch.length - start);
    }

    private void writeAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            put((byte) s.charAt(i));
        }
    }
}
