package dev.quokka.protocol;

import java.util.Arrays;

/**
 * An incremental, resumable parser of client requests: RESP multibulk ({@code *2\r\n$3\r\nGET\r\n...})
 * and inline commands ({@code GET key\r\n}).
 *
 * <p>Bytes are appended with {@link #feed}; {@link #next} returns {@code true} each time a whole
 * command is available in {@link #argv()}/{@link #argc()}, and {@code false} when it needs more bytes.
 * State survives between calls, so a command may arrive one byte at a time.
 *
 * <p>The checks and their order follow redis-server 7.0's {@code processMultibulkBuffer} and
 * {@code processInlineBuffer}, so that the same bytes give the same errors:
 * <ul>
 *   <li>a count line ({@code *N}, {@code $N}) must end within {@link #INLINE_MAX} bytes;</li>
 *   <li>multibulk counts above {@link #MULTIBULK_MAX} (10 before AUTH) are invalid; counts
 *       {@code <= 0} are an empty request and are skipped;</li>
 *   <li>bulk lengths above {@code proto-max-bulk-len} (16 KiB before AUTH) are invalid;</li>
 *   <li>the two bytes after a bulk payload are skipped without being checked, as Redis does.</li>
 * </ul>
 *
 * <p>Memory follows the bytes that arrived, never a declared length: the buffer grows by doubling
 * as input comes (at most up to the end of the bulk being read), so a client that declares a
 * 512 MB value and sends nothing costs nothing. {@link #requestBytes} is what the connection holds
 * for its request (the unread input and the arguments read so far), for {@code client-query-buffer-limit}.
 */
public final class RespParser {
    /** Longest inline request, and longest {@code *N}/{@code $N} line (Redis's PROTO_INLINE_MAX_SIZE). */
    public static final int INLINE_MAX = 64 * 1024;
    /** Largest multibulk count once authenticated (Redis's INT_MAX; memory is bounded by the query buffer limit). */
    public static final int MULTIBULK_MAX = Integer.MAX_VALUE;
    /** Heap an argument costs beyond its bytes (array header and reference), for {@link #requestBytes}. */
    private static final int ARG_OVERHEAD = 24;
    /** The largest array the JVM allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
    /** Largest multibulk count before AUTH (Redis: unauthenticated clients may send little). */
    public static final int UNAUTH_MULTIBULK_MAX = 10;
    /** Largest bulk length before AUTH. */
    public static final int UNAUTH_BULK_MAX = 16384;

    private static final byte[][] NO_ARGS = new byte[0][];

    private static final int INITIAL_BUFFER = 16 * 1024;
    private byte[] buf = new byte[INITIAL_BUFFER];
    /** The most input held at once since the last {@link #resize} (Redis's querybuf_peak). */
    private int peak;
    private int rpos;
    /** Bytes dropped from the front of {@link #buf} by compaction since the start: absolute position = consumed + index. */
    private long consumed;
    /** Absolute position of the first byte of the request being parsed or last returned. */
    private long requestStart;
    private int wpos;

    /** Arguments still expected by the multibulk in progress; 0 when none is in progress. */
    private int multibulkLen;
    /** Length of the bulk being read, or -1 before its {@code $N} line. */
    private long bulkLen = -1;
    private byte[][] argv = NO_ARGS;
    private int argc;
    /** Bytes of the arguments of the multibulk in progress (with {@link #ARG_OVERHEAD} each). */
    private long argBytes;
    /** The last command name read (see {@link #name}). */
    private byte[] lastName;
    /**
     * Input that arrived after {@link #LATER_FROM} unread bytes while the connection was not
     * executing (a blocked client's): kept in chunks of {@link #LATER_CHUNK} and moved into
     * {@link #buf} as the requests before it are consumed, so that a blocked client fed up to its
     * query buffer limit holds chunks, not one array doubling (and copied) up to that limit. The
     * chunks are large so that the collector has few objects to move (G1 never moves one of this
     * size on a heap of up to 4 GB), and only the last one is partly filled ({@link #laterTail}).
     */
    private final java.util.ArrayDeque<byte[]> later = new java.util.ArrayDeque<>();
    /** Bytes in the chunks. */
    private long laterBytes;
    /** Bytes used in the last chunk. */
    private int laterTail;
    static final int LATER_CHUNK = 1 << 20;
    public static final int LATER_FROM = 1 << 20;

    private long maxBulkLen = 512L * 1024 * 1024;
    private boolean authenticated = true;

    /** Sets {@code proto-max-bulk-len}. */
    public void maxBulkLen(long max) {
        this.maxBulkLen = max;
    }

    /** Whether the tighter pre-AUTH limits apply. */
    public void authenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    /** Appends received bytes. */
    public void feed(byte[] src, int off, int len) {
        ensureRoom(len);
        System.arraycopy(src, off, buf, wpos, len);
        wpos += len;
    }

    /** Makes room for {@code len} more bytes and returns the array to write them into at {@link #writeIndex()}. */
    public byte[] reserve(int len) {
        ensureRoom(len);
        return buf;
    }

    public int writeIndex() {
        return wpos;
    }

    /** Records that {@code len} bytes were written at {@link #writeIndex()} of the reserved array. */
    public void advance(int len) {
        wpos += len;
        peak = Math.max(peak, wpos - rpos);
    }

    /** The input buffer's size (CLIENT LIST's qbuf plus qbuf-free). */
    public int capacity() {
        return buf.length;
    }

    /**
     * Redis's clientsCronResizeQueryBuffer, for a client with no input pending: an idle client's
     * buffer is freed (a new one comes with its next bytes); a buffer over 32 KiB more than twice
     * the recent peak shrinks to that peak. The peak starts again.
     */
    public void resize(boolean idle) {
        if (wpos != rpos || multibulkLen != 0 || !later.isEmpty()) {
            peak = Math.max(peak, wpos - rpos);
            return;
        }
        compact();
        if (idle) {
            buf = EMPTY;
        } else if (buf.length > 32 * 1024 && buf.length / 2 > peak) {
            buf = new byte[Math.max(peak, 1024)];
        }
        peak = 0;
    }

    private static final byte[] EMPTY = new byte[0];

    /** Bytes received and not yet consumed by a complete command. */
    public int pending() {
        return (int) Math.min(Integer.MAX_VALUE, wpos - rpos + laterBytes);
    }

    /**
     * Whether {@code len} more bytes go to the chunks kept for later rather than into the buffer:
     * when some already do (their order), or when the connection is not executing and a megabyte
     * is unread already.
     */
    public boolean holdsLater(int len, boolean executing) {
        return !later.isEmpty() || (!executing && wpos - rpos >= LATER_FROM && buf.length - wpos < len);
    }

    /**
     * The array the next bytes kept for later go into, from {@link #laterEnd()} (see
     * {@link #holdsLater}): the last chunk while it has room, else a new one. {@link #laterWritten}
     * then counts what was written.
     */
    public byte[] laterRoom() {
        byte[] last = later.peekLast();
        if (last == null || laterTail == last.length) {
            last = new byte[LATER_CHUNK];
            later.addLast(last);
            laterTail = 0;
        }
        return last;
    }

    /** Where in {@link #laterRoom()} the next bytes go. */
    public int laterEnd() {
        return laterTail;
    }

    /** {@code n} bytes were written into {@link #laterRoom()} from {@link #laterEnd()}. */
    public void laterWritten(int n) {
        laterTail += n;
        laterBytes += n;
    }

    /** What the chunks kept for later take (their capacity). */
    private long laterCapacity() {
        return (long) later.size() * LATER_CHUNK;
    }

    /**
     * Redis's {@code qbuf} while the last returned command runs: its own bytes and the input after
     * it (Redis trims its query buffer only after the command).
     */
    public long pendingWithCurrent() {
        return consumed + wpos - requestStart + laterBytes;
    }

    /**
     * What this connection's request costs so far: the input not yet consumed, the buffer's
     * capacity beyond it, and the arguments of a multibulk still being read.
     */
    public long requestBytes() {
        return (long) buf.length + (multibulkLen > 0 ? argBytes : 0) + laterCapacity();
    }

    /**
     * {@link #requestBytes} once {@code len} more bytes are in, without making room for them: a
     * connection over its limit is closed before its buffer doubles past it.
     */
    public long requestBytesWith(int len) {
        return grownCapacity(len) + (multibulkLen > 0 ? argBytes : 0) + laterCapacity();
    }

    /** Drops the input not yet executed (a connection that is closing). */
    public void discard() {
        later.clear();
        laterBytes = 0;
        laterTail = 0;
        rpos = 0;
        wpos = 0;
        consumed = 0;
        requestStart = 0;
        multibulkLen = 0;
        bulkLen = -1;
        Arrays.fill(argv, 0, argc, null);
        argc = 0;
        argBytes = 0;
        if (buf.length > 16 * 1024) {
            buf = new byte[16 * 1024];
        }
    }

    /**
     * Clears the references of an argument array being dropped. A large array lives in the old
     * generation from its allocation (a G1 humongous object), and a young collection takes every
     * reference from the old generation as live until a marking cycle finds the array dead: a
     * dropped array of a million arguments would have the next young collections copy a million
     * dead arguments (a pause of 50-100 ms on this project's CI machine, during whatever runs next).
     */
    private static void forget(byte[][] dropped, int used) {
        if (dropped.length > 1024) {
            Arrays.fill(dropped, 0, Math.min(used, dropped.length), null);
        }
    }

    /** The arguments of the last command returned by {@link #next}. */
    public byte[][] argv() {
        return argv;
    }

    public int argc() {
        return argc;
    }

    /**
     * Parses the next command.
     *
     * @return true when a command is ready in {@link #argv()}, false when more bytes are needed
     * @throws ProtocolException on malformed input; the parser is then unusable
     */
    public boolean next() throws ProtocolException {
        while (true) {
            if (nextBuffered()) {
                return true;
            }
            byte[] chunk = later.pollFirst();
            if (chunk == null) {
                return false;
            }
            boolean last = later.isEmpty();
            int n = last ? laterTail : chunk.length;
            laterBytes -= n;
            if (last) {
                laterTail = 0;
            }
            feed(chunk, 0, n);
        }
    }

    /** {@link #next} on the bytes in {@link #buf}. */
    private boolean nextBuffered() throws ProtocolException {
        while (true) {
            if (multibulkLen == 0) {
                if (rpos == wpos) {
                    compact();
                    return false;
                }
                requestStart = consumed + rpos;
                if (buf[rpos] == '*') {
                    int r = readMultibulkCount();
                    if (r < 0) {
                        return false;
                    }
                    if (r == 0) {
                        continue; // "*0\r\n" or "*-1\r\n": an empty request, skipped like Redis
                    }
                } else {
                    int r = readInline();
                    if (r < 0) {
                        return false;
                    }
                    if (r == 0) {
                        continue; // empty line
                    }
                    return true;
                }
            }
            if (!readBulks()) {
                return false;
            }
            multibulkLen = 0;
            return true;
        }
    }

    /** @return -1 need more, 0 empty request, 1 a multibulk of {@link #multibulkLen} started */
    private int readMultibulkCount() throws ProtocolException {
        int cr = indexOf((byte) '\r', rpos + 1);
        if (cr < 0) {
            if (wpos - rpos > INLINE_MAX) {
                throw new ProtocolException("Protocol error: too big mbulk count string");
            }
            return -1;
        }
        if (cr + 1 >= wpos) {
            return -1; // the '\n' has not arrived yet
        }
        long n = parseLong(rpos + 1, cr);
        if (n == Long.MIN_VALUE || n > MULTIBULK_MAX) {
            throw new ProtocolException("Protocol error: invalid multibulk length");
        }
        if (!authenticated && n > UNAUTH_MULTIBULK_MAX) {
            throw new ProtocolException("Protocol error: unauthenticated multibulk length");
        }
        rpos = cr + 2;
        if (n <= 0) {
            return 0;
        }
        multibulkLen = (int) n;
        argc = 0;
        argBytes = 0;
        // Like Redis, do not trust the count for the allocation: start small and grow. The array
        // is the previous command's when it fits (whoever keeps a request copies it: MULTI's
        // queue, a blocked command, the AOF), unless a huge request grew it.
        int first = Math.min(multibulkLen, 1024);
        if (argv.length < first || argv.length > 1024) {
            forget(argv, argv.length);
            argv = new byte[Math.max(first, 8)][];
        }
        bulkLen = -1;
        return 1;
    }

    private boolean readBulks() throws ProtocolException {
        while (argc < multibulkLen) {
            if (bulkLen < 0) {
                if (rpos == wpos) {
                    return false;
                }
                int cr = indexOf((byte) '\r', rpos);
                if (cr < 0) {
                    if (wpos - rpos > INLINE_MAX) {
                        throw new ProtocolException("Protocol error: too big bulk count string");
                    }
                    return false;
                }
                if (cr + 1 >= wpos) {
                    return false;
                }
                if (buf[rpos] != '$') {
                    throw new ProtocolException("Protocol error: expected '$', got '" + (char) (buf[rpos] & 0xff) + "'");
                }
                long n = parseLong(rpos + 1, cr);
                if (n == Long.MIN_VALUE || n < 0 || n > maxBulkLen) {
                    throw new ProtocolException("Protocol error: invalid bulk length");
                }
                if (!authenticated && n > UNAUTH_BULK_MAX) {
                    throw new ProtocolException("Protocol error: unauthenticated bulk length");
                }
                rpos = cr + 2;
                bulkLen = n;
            }
            if (wpos - rpos < bulkLen + 2) {
                // Wait for the payload; the buffer grows as it arrives (ensureRoom), not now.
                return false;
            }
            int len = (int) bulkLen;
            if (argc == argv.length) {
                byte[][] outgrown = argv;
                argv = Arrays.copyOf(argv, Math.min(multibulkLen, argv.length * 2));
                forget(outgrown, argc);
            }
            byte[] arg = argc == 0 ? name(len) : Arrays.copyOfRange(buf, rpos, rpos + len);
            argv[argc++] = arg;
            argBytes += len + ARG_OVERHEAD;
            rpos += len + 2; // Redis skips the CRLF after the payload without checking it
            bulkLen = -1;
        }
        return true;
    }

    /**
     * The command name at rpos: the previous request's array when the name is the same (a
     * pipeline repeats one command), so that it is not copied again. Nothing changes arguments
     * in place.
     */
    private byte[] name(int len) {
        byte[] last = lastName;
        if (last != null && last.length == len && Arrays.equals(last, 0, len, buf, rpos, rpos + len)) {
            return last;
        }
        byte[] name = Arrays.copyOfRange(buf, rpos, rpos + len);
        lastName = len <= 32 ? name : null;
        return name;
    }

    /**
     * Drops the references to the executed requests' arguments (the array is kept for the next
     * request), so that an idle connection does not keep its last values alive. Not while a
     * request is half read: its arguments so far are still needed.
     */
    public void release() {
        if (multibulkLen == 0) {
            Arrays.fill(argv, 0, argc, null);
            argc = 0;
        }
    }

    /**
     * Finds the second argument (the first key of most commands) and the third (the field or member
     * of most collection commands) of the complete requests waiting in the buffer, up to {@code max}
     * requests, without consuming anything: for the {@code i}th request with a second argument,
     * {@code slices[4i]} and {@code slices[4i + 1]} are that argument's offset into {@link #buffer()}
     * and length, {@code slices[4i + 2]} and {@code slices[4i + 3]} the third's (length -1 when there
     * is none). Stops at the first request it cannot read plainly (inline, incomplete, malformed);
     * {@link #next} decides what those are. For prefetching only.
     */
    public int peekKeys(int[] slices, int max) {
        int p = rpos;
        int n = 0;
        for (int request = 0; request < max && p < wpos && buf[p] == '*'; request++) {
            int cr = indexOf((byte) '\r', p + 1);
            long count = cr < 0 ? -1 : Numbers.parseLong(buf, p + 1, cr);
            if (count < 1 || count > 1024) {
                return n;
            }
            p = cr + 2;
            int keyAt = -1;
            int keyLen = 0;
            int fieldAt = 0;
            int fieldLen = -1;
            for (int a = 0; a < count; a++) {
                if (p >= wpos || buf[p] != '$') {
                    return n;
                }
                cr = indexOf((byte) '\r', p + 1);
                long len = cr < 0 ? -1 : Numbers.parseLong(buf, p + 1, cr);
                if (len < 0 || len > wpos || cr + 2 + len + 2 > wpos) {
                    return n;
                }
                p = cr + 2;
                if (a == 1) {
                    keyAt = p;
                    keyLen = (int) len;
                } else if (a == 2) {
                    fieldAt = p;
                    fieldLen = (int) len;
                }
                p += (int) len + 2;
            }
            if (keyAt >= 0) {
                int at = 4 * n++;
                slices[at] = keyAt;
                slices[at + 1] = keyLen;
                slices[at + 2] = fieldAt;
                slices[at + 3] = fieldLen;
            }
        }
        return n;
    }

    /** The buffer the offsets of {@link #peekKeys} point into (valid until the next feed). */
    public byte[] buffer() {
        return buf;
    }

    /** @return -1 need more, 0 empty line, 1 a command */
    private int readInline() throws ProtocolException {
        int nl = lineEnd(rpos);
        if (nl < 0) {
            if (wpos - rpos > INLINE_MAX) {
                throw new ProtocolException("Protocol error: too big inline request");
            }
            return -1;
        }
        int end = nl;
        if (end != rpos && buf[end - 1] == '\r') {
            end--;
        }
        byte[][] args = InlineSplitter.split(buf, rpos, end);
        rpos = nl + 1;
        if (args == null) {
            throw new ProtocolException("Protocol error: unbalanced quotes in request");
        }
        if (args.length == 0) {
            return 0;
        }
        forget(argv, argc);
        argv = args;
        argc = args.length;
        return 1;
    }

    /**
     * The newline ending an inline request, found as Redis finds it ({@code strchr} on the query
     * buffer): a NUL byte before it hides it, so such a request waits for more input until the
     * inline limit ends the connection, as with redis-server.
     */
    private int lineEnd(int from) {
        for (int i = from; i < wpos; i++) {
            if (buf[i] == '\n') {
                return i;
            }
            if (buf[i] == 0) {
                return -1;
            }
        }
        return -1;
    }

    private int indexOf(byte b, int from) {
        for (int i = from; i < wpos; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Redis's string2ll on buf[from, to): Long.MIN_VALUE when it is not a valid integer. */
    private long parseLong(int from, int to) {
        long v = Numbers.parseLong(buf, from, to);
        return v;
    }

    /**
     * Makes room for {@code len} more bytes: by compacting, else by doubling the buffer (linear
     * cost overall), but never past the end of the bulk being read when the new bytes fit before
     * it, so that a 512 MB value needs a 512 MB buffer, not 1 GB.
     */
    private void ensureRoom(int len) {
        if (buf.length - wpos >= len) {
            return;
        }
        compact();
        if (buf.length - wpos >= len) {
            return;
        }
        long cap = grownCapacity(len);
        if (cap > MAX_ARRAY) {
            throw new OutOfMemoryError("request larger than the largest array");
        }
        buf = Arrays.copyOf(buf, (int) cap);
    }

    /** The buffer's capacity once {@code len} more bytes are in (what {@link #ensureRoom} would make it). */
    private long grownCapacity(int len) {
        long pending = wpos - rpos;
        if (buf.length - pending >= len) {
            return buf.length;
        }
        long need = pending + len;
        long cap = Math.max(need, Math.min(MAX_ARRAY, Math.max(INITIAL_BUFFER, buf.length * 2L)));
        if (multibulkLen > 0 && bulkLen >= 0) {
            long bulkEnd = bulkLen + 2; // after compact() the payload starts at 0
            if (need <= bulkEnd) {
                cap = Math.min(cap, bulkEnd);
            }
        }
        return cap;
    }

    private void compact() {
        if (rpos == 0) {
            return;
        }
        int n = wpos - rpos;
        if (n > 0) {
            System.arraycopy(buf, rpos, buf, 0, n);
        }
        consumed += rpos;
        rpos = 0;
        wpos = n;
        // Give back a buffer that grew for one huge request once it is idle.
        if (n == 0 && buf.length > 1024 * 1024) {
            buf = new byte[16 * 1024];
        }
    }
}
