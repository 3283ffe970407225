package dev.quokka.keyspace;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A sorted set, ordered by (score, member bytes). Small sets are Redis's {@code listpack}: two
 * parallel arrays kept sorted, searched by binary search for ranks and linearly for members;
 * past {@code zset-max-listpack-entries} members, or with a member longer than
 * {@code zset-max-listpack-value} bytes, it becomes what Redis calls {@code skiplist} (and OBJECT
 * ENCODING still says): here an order-statistic B+ tree ({@link ScoreTree}, ranks in O(log n))
 * plus a member-to-score {@link BytesMap}.
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

    // listpack form (null once converted)
    private byte[][] members;
    private double[] scores;
    private int n;

    // large form: the pairs in order, and each member's score (in its dict node)
    private ScoreTree tree;
    private BytesMap dict;

    private long elementBytes;

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
        tree = new ScoreTree();
        dict = new BytesMap();
    }

    @Override
    public int size() {
        return members != null ? n : tree.size();
    }

    @Override
    public long bytes() {
        long self = MemoryModel.align(MemoryModel.OBJECT_HEADER + 5L * MemoryModel.REF + 4 * 3 + 8 + FIELDS);
        if (members != null) {
            return self + MemoryModel.refArray(members.length) + MemoryModel.align(MemoryModel.ARRAY_HEADER + 8L * scores.length)
                + elementBytes;
        }
        // per member: a dict node holding its score; the tree's nodes
        return self + dict.tableBytes() + (long) tree.size() * BytesMap.SCORED_NODE + tree.bytes() + elementBytes;
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
        return d == null ? Double.NaN : ((BytesMap.Scored) d).score();
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
            BytesMap.Scored sd = (BytesMap.Scored) d;
            double old = sd.score();
            if (old != score) {
                tree.delete(old, d.key());
                tree.insert(score, d.key());
                sd.score(score);
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
            tree.insert(score, m);
            dict.addScored(m, score);
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
        tree.delete(((BytesMap.Scored) d).score(), d.key());
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
        double score = ((BytesMap.Scored) d).score();
        byte[] member = d.key();
        return tree.countBefore((s, x) -> compare(s, x, score, member) < 0);
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
        return inclusive ? tree.countBefore((score, x) -> score <= s) : tree.countBefore((score, x) -> score < s);
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
        return inclusive ? tree.countBefore((score, x) -> Arrays.compareUnsigned(x, m) <= 0)
            : tree.countBefore((score, x) -> Arrays.compareUnsigned(x, m) < 0);
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
        int[] at = new int[1];
        ScoreTree.Leaf leaf = tree.leafAt(rev ? to : from, at);
        int i = at[0];
        while (count > 0 && leaf != null) {
            if (i < 0 || i >= leaf.n) {
                leaf = rev ? leaf.prev : leaf.next;
                if (leaf != null) {
                    i = rev ? leaf.n - 1 : 0;
                }
                continue;
            }
            v.visit(leaf.members[i], leaf.scores[i]);
            count--;
            i += rev ? -1 : 1;
        }
    }

    /** The member at a 0-based rank. */
    public byte[] memberAt(long rank) {
        if (members != null) {
            return members[(int) rank];
        }
        int[] at = new int[1];
        return tree.leafAt(rank, at).members[at[0]];
    }

    public double scoreAt(long rank) {
        if (members != null) {
            return scores[(int) rank];
        }
        int[] at = new int[1];
        return tree.leafAt(rank, at).scores[at[0]];
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
            tree.insert(ss[i], ms[i]);
            dict.addScored(ms[i], ss[i]);
        }
    }

    /** The member-to-score table (large form), for ZSCAN's cursor; null in listpack form. */
    public BytesMap dict() {
        return dict;
    }

    /** The score held by a {@link #dict()} node. */
    public static double nodeScore(BytesMap.Node d) {
        return ((BytesMap.Scored) d).score();
    }

    @Override
    BytesMap index() {
        return dict;
    }
}
