package dev.quokka.keyspace;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A sorted set, ordered by (score, member bytes). Small sets are Redis's {@code listpack}: two
 * parallel arrays kept sorted, searched by binary search for ranks and linearly for members;
 * past {@code zset-max-listpack-entries} members, or with a member longer than
 * {@code zset-max-listpack-value} bytes, it becomes Redis's {@code skiplist}: a skip list with
 * spans (ranks in O(log n)) plus a member-to-node {@link BytesMap}.
 *
 * <p>Every ordered operation is expressed by 0-based ascending rank: callers turn score and lex
 * ranges into rank ranges with {@link #countBelow} and {@link #countBelowLex}, then walk them with
 * {@link #range}.
 */
public final class ZSetValue extends Collection {
    /** Visits a member and its score. */
    @FunctionalInterface
    public interface Visitor {
        void visit(byte[] member, double score);
    }

    private static final int MAX_LEVEL = 32;

    // listpack form (null once converted)
    private byte[][] members;
    private double[] scores;
    private int n;

    // skiplist form
    private Node header;
    private Node tail;
    private int level;
    private int length;
    private BytesMap dict;

    private long elementBytes;

    static final class Node {
        final byte[] member;
        double score;
        Node backward;
        final Node[] forward;
        final long[] span;

        Node(int level, double score, byte[] member) {
            this.member = member;
            this.score = score;
            forward = new Node[level];
            span = new long[level];
        }
    }

    /** An empty sorted set; {@code compact} chooses the listpack form. */
    public ZSetValue(boolean compact) {
        if (compact) {
            members = new byte[4][];
            scores = new double[4];
        } else {
            initSkiplist();
        }
    }

    private void initSkiplist() {
        header = new Node(MAX_LEVEL, 0, null);
        level = 1;
        length = 0;
        tail = null;
        dict = new BytesMap();
    }

    @Override
    public int size() {
        return members != null ? n : length;
    }

    @Override
    public long bytes() {
        long self = MemoryModel.align(MemoryModel.OBJECT_HEADER + 5L * MemoryModel.REF + 4 * 3 + 8 + FIELDS);
        if (members != null) {
            return self + MemoryModel.refArray(members.length) + MemoryModel.align(MemoryModel.ARRAY_HEADER + 8L * scores.length)
                + elementBytes;
        }
        // per member: a dict node, a skip-list node with its two level arrays (1.33 levels on average)
        long node = MemoryModel.align(MemoryModel.OBJECT_HEADER + 4L * MemoryModel.REF + 8)
            + MemoryModel.refArray(2) + MemoryModel.align(MemoryModel.ARRAY_HEADER + 16);
        return self + dict.tableBytes() + (long) length * (BytesMap.NODE + node) + elementBytes;
    }

    @Override
    public Collection copy() {
        ZSetValue z = new ZSetValue(members != null);
        range(0, size() - 1, false, (m, s) -> z.insertNew(m, s));
        return z;
    }

    @Override
    public String typeName() {
        return "zset";
    }

    @Override
    public String encoding() {
        return members != null ? "listpack" : "skiplist";
    }

    static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        if (s1 < s2) {
            return -1;
        }
        if (s1 > s2) {
            return 1;
        }
        return Arrays.compareUnsigned(m1, m2);
    }

    /** The member's score, or NaN when it is absent (scores are never NaN). */
    public double score(byte[] m) {
        if (members != null) {
            int i = indexOf(m);
            return i < 0 ? Double.NaN : scores[i];
        }
        BytesMap.Node d = dict.get(m);
        return d == null ? Double.NaN : ((Node) d.value()).score;
    }

    private int indexOf(byte[] m) {
        for (int i = 0; i < n; i++) {
            if (Arrays.equals(members[i], m)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Sets a member's score; returns true when the member is new. Converts to a skip list when
     * the member is longer than {@code maxValue} or there are more than {@code maxEntries}.
     */
    public boolean put(byte[] m, double score, long maxEntries, long maxValue) {
        if (members != null && m.length > maxValue) {
            toSkiplist();
        }
        if (members != null) {
            int i = indexOf(m);
            if (i >= 0) {
                if (scores[i] != score) {
                    lpRemoveAt(i);
                    lpInsert(m, score);
                }
                return false;
            }
            lpInsert(m, score);
            elementBytes += MemoryModel.byteArray(m.length);
            if (n > maxEntries) {
                toSkiplist();
            }
            return true;
        }
        BytesMap.Node d = dict.get(m);
        if (d != null) {
            Node x = (Node) d.value();
            if (x.score != score) {
                zslUpdateScore(x, score);
            }
            return false;
        }
        insertNew(m, score);
        return true;
    }

    /** Adds a member known to be absent, keeping the current form. */
    private void insertNew(byte[] m, double score) {
        if (members != null) {
            lpInsert(m, score);
        } else {
            dict.add(m, zslInsert(score, m));
        }
        elementBytes += MemoryModel.byteArray(m.length);
    }

    public boolean remove(byte[] m) {
        if (members != null) {
            int i = indexOf(m);
            if (i < 0) {
                return false;
            }
            elementBytes -= MemoryModel.byteArray(members[i].length);
            lpRemoveAt(i);
            return true;
        }
        BytesMap.Node d = dict.remove(m);
        if (d == null) {
            return false;
        }
        Node x = (Node) d.value();
        zslDelete(x.score, x.member);
        elementBytes -= MemoryModel.byteArray(m.length);
        return true;
    }

    /** 0-based ascending rank of a member, or -1. */
    public long rank(byte[] m) {
        if (members != null) {
            return indexOf(m);
        }
        BytesMap.Node d = dict.get(m);
        if (d == null) {
            return -1;
        }
        Node target = (Node) d.value();
        Node x = header;
        long rank = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && compare(x.forward[i].score, x.forward[i].member, target.score, target.member) <= 0) {
                rank += x.span[i];
                x = x.forward[i];
            }
            if (x == target) {
                return rank - 1;
            }
        }
        return -1;
    }

    /** Number of members with a score below {@code s} (or equal to it too, when {@code inclusive}). */
    public long countBelow(double s, boolean inclusive) {
        if (members != null) {
            int lo = 0;
            int hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (scores[mid] < s || (inclusive && scores[mid] == s)) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
        Node x = header;
        long rank = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && (x.forward[i].score < s || (inclusive && x.forward[i].score == s))) {
                rank += x.span[i];
                x = x.forward[i];
            }
        }
        return rank;
    }

    /**
     * Number of members that sort before {@code m} by bytes (or equal to it too, when
     * {@code inclusive}); meaningful when all scores are equal, as ZRANGEBYLEX requires.
     */
    public long countBelowLex(byte[] m, boolean inclusive) {
        if (members != null) {
            int lo = 0;
            int hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                int c = Arrays.compareUnsigned(members[mid], m);
                if (c < 0 || (inclusive && c == 0)) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
        Node x = header;
        long rank = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null) {
                int c = Arrays.compareUnsigned(x.forward[i].member, m);
                if (!(c < 0 || (inclusive && c == 0))) {
                    break;
                }
                rank += x.span[i];
                x = x.forward[i];
            }
        }
        return rank;
    }

    /** Visits ranks {@code from..to} (0-based, ascending, inclusive, in bounds): upward, or downward when {@code rev}. */
    public void range(long from, long to, boolean rev, Visitor v) {
        if (from > to) {
            return;
        }
        if (members != null) {
            if (rev) {
                for (int i = (int) to; i >= from; i--) {
                    v.visit(members[i], scores[i]);
                }
            } else {
                for (int i = (int) from; i <= to; i++) {
                    v.visit(members[i], scores[i]);
                }
            }
            return;
        }
        long count = to - from + 1;
        Node x = byRank(rev ? to + 1 : from + 1);
        while (count-- > 0 && x != null) {
            Node next = rev ? x.backward : x.forward[0];
            v.visit(x.member, x.score);
            x = next;
        }
    }

    /** The member at a 0-based rank. */
    public byte[] memberAt(long rank) {
        return members != null ? members[(int) rank] : byRank(rank + 1).member;
    }

    public double scoreAt(long rank) {
        return members != null ? scores[(int) rank] : byRank(rank + 1).score;
    }

    /** A uniformly random 0-based rank's member, with its score via {@link #scoreAt}. */
    public long randomRank() {
        return ThreadLocalRandom.current().nextLong(size());
    }

    // ---- listpack form

    private void lpInsert(byte[] m, double s) {
        // Redis's listpack holds an integral score as an integer (double2ll), so -0 becomes 0.
        s = s == 0 ? 0.0 : s;
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(scores[mid], members[mid], s, m) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (n == members.length) {
            members = Arrays.copyOf(members, n * 2);
            scores = Arrays.copyOf(scores, n * 2);
        }
        System.arraycopy(members, lo, members, lo + 1, n - lo);
        System.arraycopy(scores, lo, scores, lo + 1, n - lo);
        members[lo] = m;
        scores[lo] = s;
        n++;
    }

    private void lpRemoveAt(int i) {
        System.arraycopy(members, i + 1, members, i, n - i - 1);
        System.arraycopy(scores, i + 1, scores, i, n - i - 1);
        members[--n] = null;
    }

    private void toSkiplist() {
        byte[][] ms = members;
        double[] ss = scores;
        int count = n;
        members = null;
        scores = null;
        n = 0;
        initSkiplist();
        for (int i = 0; i < count; i++) {
            dict.add(ms[i], zslInsert(ss[i], ms[i]));
        }
    }

    // ---- skip list (Redis's t_zset.c zsl*)

    private static int randomLevel() {
        int lvl = 1;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (lvl < MAX_LEVEL && (rnd.nextInt() & 0xFFFF) < (0xFFFF >> 2)) {
            lvl++;
        }
        return lvl;
    }

    // Scratch for insert and delete: only the keyspace thread changes sorted sets (a snapshot's
    // writer only reads them), so one pair serves every set without an allocation per change.
    private static final Node[] UPDATE = new Node[MAX_LEVEL];
    private static final long[] RANK = new long[MAX_LEVEL];

    /**
     * Redis's {@code zslUpdateScore}: a node whose new score keeps its place is updated in place;
     * otherwise it is unlinked and linked again at its new place, the same node object.
     */
    private void zslUpdateScore(Node x, double score) {
        Node next = x.forward[0];
        if ((x.backward == null || x.backward.score < score) && (next == null || next.score > score)) {
            x.score = score;
            return;
        }
        zslDelete(x.score, x.member);
        x.score = score;
        Arrays.fill(x.forward, null);
        zslLink(x);
    }

    private Node zslInsert(double score, byte[] member) {
        Node x = new Node(randomLevel(), score, member);
        zslLink(x);
        return x;
    }

    /** Links a node (its level chosen, its forward pointers null) at the place of its score and member. */
    private void zslLink(Node node) {
        double score = node.score;
        byte[] member = node.member;
        Node[] update = UPDATE;
        long[] rank = RANK;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.forward[i] != null && compare(x.forward[i].score, x.forward[i].member, score, member) < 0) {
                rank[i] += x.span[i];
                x = x.forward[i];
            }
            update[i] = x;
        }
        int lvl = node.forward.length;
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                update[i].span[i] = length;
            }
            level = lvl;
        }
        x = node;
        for (int i = 0; i < lvl; i++) {
            x.forward[i] = update[i].forward[i];
            update[i].forward[i] = x;
            x.span[i] = update[i].span[i] - (rank[0] - rank[i]);
            update[i].span[i] = (rank[0] - rank[i]) + 1;
        }
        for (int i = lvl; i < level; i++) {
            update[i].span[i]++;
        }
        x.backward = update[0] == header ? null : update[0];
        if (x.forward[0] != null) {
            x.forward[0].backward = x;
        } else {
            tail = x;
        }
        length++;
    }

    private void zslDelete(double score, byte[] member) {
        Node[] update = UPDATE;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && compare(x.forward[i].score, x.forward[i].member, score, member) < 0) {
                x = x.forward[i];
            }
            update[i] = x;
        }
        x = x.forward[0];
        if (x == null || x.score != score || !Arrays.equals(x.member, member)) {
            throw new IllegalStateException("skip list node not found");
        }
        for (int i = 0; i < level; i++) {
            if (update[i].forward[i] == x) {
                update[i].span[i] += x.span[i] - 1;
                update[i].forward[i] = x.forward[i];
            } else {
                update[i].span[i] -= 1;
            }
        }
        if (x.forward[0] != null) {
            x.forward[0].backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && header.forward[level - 1] == null) {
            level--;
        }
        length--;
    }

    /** The node at a 1-based rank. */
    private Node byRank(long rank) {
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && traversed + x.span[i] <= rank) {
                traversed += x.span[i];
                x = x.forward[i];
            }
            if (traversed == rank) {
                return x;
            }
        }
        return null;
    }

    /** The member-to-node table (skip-list form), for ZSCAN's cursor; null in listpack form. */
    public BytesMap dict() {
        return dict;
    }

    /** The score held by a {@link #dict()} node. */
    public static double nodeScore(BytesMap.Node d) {
        return ((Node) d.value()).score;
    }
}
