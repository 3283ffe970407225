package dev.quokka.keyspace;

import java.util.Arrays;

/**
 * The ordered half of a large sorted set: an order-statistic B+ tree of (score, member) pairs,
 * ordered as {@link ZSetValue#compare}. Leaves hold up to {@value #LEAF} pairs in two parallel
 * arrays and are linked both ways for range walks; inner nodes hold up to {@value #FANOUT}
 * children with the number of pairs under each (ranks) and a separator key per child after the
 * first (every pair of child {@code i-1} sorts before it, none of child {@code i} does). A lookup
 * touches about three nodes where a skip list of a million members follows some twenty pointers
 * to as many places in memory, and a pair costs twelve bytes of array instead of a node with two
 * level arrays.
 *
 * <p>Separators are set when a node splits and left alone when the pair they were taken from is
 * deleted: they stay valid bounds. Nodes that fall under a quarter full are merged with a
 * neighbour when the two fit in one. Only the keyspace thread changes a tree (a snapshot's writer
 * may read one that no command changes meanwhile), so changes share static scratch arrays and
 * reads use none.
 */
final class ScoreTree {
    static final int LEAF = 64;
    static final int FANOUT = 64;
    private static final int MAX_DEPTH = 16;

    private abstract static class Node {
    }

    static final class Leaf extends Node {
        final double[] scores = new double[LEAF];
        final byte[][] members = new byte[LEAF][];
        int n;
        Leaf prev;
        Leaf next;
    }

    private static final class Inner extends Node {
        final Node[] kids = new Node[FANOUT];
        final int[] counts = new int[FANOUT];
        final double[] sepScores = new double[FANOUT];
        final byte[][] sepMembers = new byte[FANOUT][];
        int n;
    }

    /** A prefix of the order: true for every pair before some point, false from it on. */
    @FunctionalInterface
    interface Before {
        boolean test(double score, byte[] member);
    }

    private Node root = new Leaf();
    private final Leaf first = (Leaf) root;
    private Leaf last = first;
    private int size;
    private int leaves = 1;
    private int inners;

    private static final Inner[] PATH = new Inner[MAX_DEPTH];
    private static final int[] INDEX = new int[MAX_DEPTH];

    int size() {
        return size;
    }

    /** Heap bytes of the tree's nodes and arrays (not the members, which the set counts). */
    long bytes() {
        long leaf = MemoryModel.align(MemoryModel.OBJECT_HEADER + 4L * MemoryModel.REF + 4)
            + MemoryModel.align(MemoryModel.ARRAY_HEADER + 8L * LEAF) + MemoryModel.refArray(LEAF);
        long inner = MemoryModel.align(MemoryModel.OBJECT_HEADER + 4L * MemoryModel.REF + 4)
            + 2 * MemoryModel.refArray(FANOUT) + MemoryModel.align(MemoryModel.ARRAY_HEADER + 4L * FANOUT)
            + MemoryModel.align(MemoryModel.ARRAY_HEADER + 8L * FANOUT);
        return leaves * leaf + inners * inner;
    }

    private static int count(Node x) {
        if (x instanceof Leaf l) {
            return l.n;
        }
        Inner in = (Inner) x;
        int c = 0;
        for (int i = 0; i < in.n; i++) {
            c += in.counts[i];
        }
        return c;
    }

    /** The child of {@code in} whose range holds the pair (s, m). */
    private static int route(Inner in, double s, byte[] m) {
        int lo = 1;
        int hi = in.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ZSetValue.compare(in.sepScores[mid], in.sepMembers[mid], s, m) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }

    /** The first position of {@code leaf} whose pair does not sort before (s, m). */
    private static int lowerBound(Leaf leaf, double s, byte[] m) {
        int lo = 0;
        int hi = leaf.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ZSetValue.compare(leaf.scores[mid], leaf.members[mid], s, m) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Walks from the root to the leaf whose range holds (s, m), adding {@code delta} to the count
     * of every child taken and recording the path in {@link #PATH} and {@link #INDEX}; returns its
     * length (0: the root is the leaf).
     */
    private int descend(double s, byte[] m, int delta) {
        int depth = 0;
        Node x = root;
        while (x instanceof Inner in) {
            int i = route(in, s, m);
            in.counts[i] += delta;
            PATH[depth] = in;
            INDEX[depth++] = i;
            x = in.kids[i];
        }
        return depth;
    }

    /** The leaf at the end of a path {@link #descend} recorded. */
    private Leaf leafOf(int depth) {
        return depth == 0 ? (Leaf) root : (Leaf) PATH[depth - 1].kids[INDEX[depth - 1]];
    }

    /** Adds a pair known to be absent. */
    void insert(double s, byte[] m) {
        Inner[] path = PATH;
        int[] index = INDEX;
        int depth = descend(s, m, 1);
        Leaf leaf = leafOf(depth);
        int pos = lowerBound(leaf, s, m);
        size++;
        if (leaf.n < LEAF) {
            insertAt(leaf, pos, s, m);
            return;
        }
        Leaf right = new Leaf();
        leaves++;
        // Splitting in halves leaves sorted insertions (a copy, a load, ever-growing scores) half
        // full: a pair past the last one starts the new leaf alone; one before the first empties
        // the first leaf for itself.
        int half = pos == LEAF && leaf.next == null ? LEAF : pos == 0 && leaf == first ? 0 : LEAF / 2;
        System.arraycopy(leaf.scores, half, right.scores, 0, LEAF - half);
        System.arraycopy(leaf.members, half, right.members, 0, LEAF - half);
        Arrays.fill(leaf.members, half, LEAF, null);
        right.n = LEAF - half;
        leaf.n = half;
        right.next = leaf.next;
        right.prev = leaf;
        if (leaf.next != null) {
            leaf.next.prev = right;
        } else {
            last = right;
        }
        leaf.next = right;
        if (pos < half || pos == half && half < LEAF) {
            insertAt(leaf, pos, s, m);
        } else {
            insertAt(right, pos - half, s, m);
        }
        Node added = right;
        double sepS = right.scores[0];
        byte[] sepM = right.members[0];
        for (int d = depth - 1; d >= 0; d--) {
            Inner p = path[d];
            int i = index[d];
            p.counts[i] = count(p.kids[i]);
            if (p.n < FANOUT) {
                insertChild(p, i + 1, added, sepS, sepM);
                return;
            }
            Inner q = new Inner();
            inners++;
            int h = i + 1 == FANOUT ? FANOUT - 1 : FANOUT / 2; // appending: the new node takes little
            double upS = p.sepScores[h];
            byte[] upM = p.sepMembers[h];
            System.arraycopy(p.kids, h, q.kids, 0, FANOUT - h);
            System.arraycopy(p.counts, h, q.counts, 0, FANOUT - h);
            System.arraycopy(p.sepScores, h, q.sepScores, 0, FANOUT - h);
            System.arraycopy(p.sepMembers, h, q.sepMembers, 0, FANOUT - h);
            Arrays.fill(p.kids, h, FANOUT, null);
            Arrays.fill(p.sepMembers, h, FANOUT, null);
            q.sepMembers[0] = null;
            q.n = FANOUT - h;
            p.n = h;
            if (i + 1 <= h) {
                insertChild(p, i + 1, added, sepS, sepM);
            } else {
                insertChild(q, i + 1 - h, added, sepS, sepM);
            }
            added = q;
            sepS = upS;
            sepM = upM;
        }
        Inner r = new Inner();
        inners++;
        r.kids[0] = root;
        r.counts[0] = count(root);
        r.kids[1] = added;
        r.counts[1] = count(added);
        r.sepScores[1] = sepS;
        r.sepMembers[1] = sepM;
        r.n = 2;
        root = r;
    }

    private static void insertAt(Leaf leaf, int pos, double s, byte[] m) {
        System.arraycopy(leaf.scores, pos, leaf.scores, pos + 1, leaf.n - pos);
        System.arraycopy(leaf.members, pos, leaf.members, pos + 1, leaf.n - pos);
        leaf.scores[pos] = s;
        leaf.members[pos] = m;
        leaf.n++;
    }

    private static void insertChild(Inner p, int at, Node child, double sepS, byte[] sepM) {
        int move = p.n - at;
        System.arraycopy(p.kids, at, p.kids, at + 1, move);
        System.arraycopy(p.counts, at, p.counts, at + 1, move);
        System.arraycopy(p.sepScores, at, p.sepScores, at + 1, move);
        System.arraycopy(p.sepMembers, at, p.sepMembers, at + 1, move);
        p.kids[at] = child;
        p.counts[at] = count(child);
        p.sepScores[at] = sepS;
        p.sepMembers[at] = sepM;
        p.n++;
    }

    private static void removeChild(Inner p, int at) {
        int move = p.n - at - 1;
        System.arraycopy(p.kids, at + 1, p.kids, at, move);
        System.arraycopy(p.counts, at + 1, p.counts, at, move);
        System.arraycopy(p.sepScores, at + 1, p.sepScores, at, move);
        System.arraycopy(p.sepMembers, at + 1, p.sepMembers, at, move);
        p.n--;
        p.kids[p.n] = null;
        p.sepMembers[p.n] = null;
    }

    /** Removes a pair known to be present. */
    void delete(double s, byte[] m) {
        Inner[] path = PATH;
        int[] index = INDEX;
        int depth = descend(s, m, -1);
        Leaf leaf = leafOf(depth);
        int pos = lowerBound(leaf, s, m);
        if (pos >= leaf.n || leaf.scores[pos] != s || !Arrays.equals(leaf.members[pos], m)) {
            throw new IllegalStateException("sorted set pair not found");
        }
        System.arraycopy(leaf.scores, pos + 1, leaf.scores, pos, leaf.n - pos - 1);
        System.arraycopy(leaf.members, pos + 1, leaf.members, pos, leaf.n - pos - 1);
        leaf.members[--leaf.n] = null;
        size--;
        Node child = leaf;
        for (int d = depth - 1; d >= 0; d--) {
            Inner p = path[d];
            int i = index[d];
            if (!underfull(child) || p.n < 2) {
                break;
            }
            int a = i > 0 ? i - 1 : i;
            int b = a + 1;
            if (!merge(p.kids[a], p.kids[b], p.sepScores[b], p.sepMembers[b])) {
                break;
            }
            p.counts[a] += p.counts[b];
            removeChild(p, b);
            child = p;
        }
        while (root instanceof Inner r && r.n == 1) {
            root = r.kids[0];
            inners--;
        }
    }

    private static boolean underfull(Node x) {
        return x instanceof Leaf l ? l.n < LEAF / 4 : ((Inner) x).n < FANOUT / 4;
    }

    /** Moves {@code b}'s contents to the end of {@code a}, its left neighbour, when they fit in one node. */
    private boolean merge(Node a, Node b, double sepS, byte[] sepM) {
        if (a instanceof Leaf la) {
            Leaf lb = (Leaf) b;
            if (la.n + lb.n > LEAF) {
                return false;
            }
            System.arraycopy(lb.scores, 0, la.scores, la.n, lb.n);
            System.arraycopy(lb.members, 0, la.members, la.n, lb.n);
            la.n += lb.n;
            la.next = lb.next;
            if (lb.next != null) {
                lb.next.prev = la;
            } else {
                last = la;
            }
            leaves--;
            return true;
        }
        Inner ia = (Inner) a;
        Inner ib = (Inner) b;
        if (ia.n + ib.n > FANOUT) {
            return false;
        }
        System.arraycopy(ib.kids, 0, ia.kids, ia.n, ib.n);
        System.arraycopy(ib.counts, 0, ia.counts, ia.n, ib.n);
        System.arraycopy(ib.sepScores, 0, ia.sepScores, ia.n, ib.n);
        System.arraycopy(ib.sepMembers, 0, ia.sepMembers, ia.n, ib.n);
        ia.sepScores[ia.n] = sepS;
        ia.sepMembers[ia.n] = sepM;
        ia.n += ib.n;
        inners--;
        return true;
    }

    /** How many pairs satisfy {@code before} (a prefix of the order). */
    long countBefore(Before before) {
        long acc = 0;
        Node x = root;
        while (x instanceof Inner in) {
            // Separators that satisfy it: every pair of the child before each of them does too.
            int i = prefix(before, in.sepScores, in.sepMembers, 1, in.n) - 1;
            for (int k = 0; k < i; k++) {
                acc += in.counts[k];
            }
            x = in.kids[i];
        }
        Leaf leaf = (Leaf) x;
        return acc + prefix(before, leaf.scores, leaf.members, 0, leaf.n);
    }

    /** The first index in {@code from..to} whose pair does not satisfy {@code before} ({@code to} when all do). */
    private static int prefix(Before before, double[] scores, byte[][] members, int from, int to) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (before.test(scores[mid], members[mid])) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The leaf holding 0-based {@code rank}; its position in the leaf goes to {@code at[0]}. */
    Leaf leafAt(long rank, int[] at) {
        Node x = root;
        long r = rank;
        while (x instanceof Inner in) {
            int i = 0;
            while (i < in.n - 1 && r >= in.counts[i]) {
                r -= in.counts[i];
                i++;
            }
            x = in.kids[i];
        }
        at[0] = (int) r;
        return (Leaf) x;
    }

    Leaf first() {
        return first;
    }
}
