package dev.quokka.keyspace;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The B+ tree of large sorted sets against a TreeSet model at sizes that need three levels of
 * inner nodes: growth by splits, shrinking by merges to a handful of pairs and growing again,
 * with ranks, prefix counts, positions by rank and both walking directions checked on the way.
 */
class ScoreTreeTest {
    private record Pair(double score, byte[] member) implements Comparable<Pair> {
        @Override
        public int compareTo(Pair o) {
            return ZSetValue.compare(score, member, o.score, o.member);
        }
    }

    private static List<Pair> walk(ScoreTree t) {
        List<Pair> out = new ArrayList<>();
        for (ScoreTree.Leaf l = t.first(); l != null; l = l.next) {
            for (int i = 0; i < l.n; i++) {
                out.add(new Pair(l.scores[i], l.members[i]));
            }
        }
        return out;
    }

    private static void check(ScoreTree t, TreeSet<Pair> model, Random rnd) {
        assertEquals(model.size(), t.size());
        List<Pair> all = new ArrayList<>(model);
        List<Pair> got = walk(t);
        assertEquals(all.size(), got.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(0, all.get(i).compareTo(got.get(i)), "position " + i);
        }
        for (int k = 0; k < 200 && !all.isEmpty(); k++) {
            int r = rnd.nextInt(all.size());
            Pair p = all.get(r);
            assertEquals(r, t.countBefore((s, m) -> ZSetValue.compare(s, m, p.score, p.member) < 0));
            int[] at = new int[1];
            ScoreTree.Leaf leaf = t.leafAt(r, at);
            assertTrue(Arrays.equals(p.member, leaf.members[at[0]]) && p.score == leaf.scores[at[0]]);
            double probe = rnd.nextInt(1000) + 0.5 * rnd.nextInt(2);
            long below = all.stream().filter(x -> x.score < probe).count();
            assertEquals(below, t.countBefore((s, m) -> s < probe));
        }
    }

    @Test
    void matchesAModelThroughSplitsAndMerges() {
        Random rnd = new Random(5);
        ScoreTree t = new ScoreTree();
        TreeSet<Pair> model = new TreeSet<>();
        List<Pair> present = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            while (model.size() < 300_000) {
                Pair p = new Pair(rnd.nextInt(1000), ("m" + rnd.nextInt(5_000_000)).getBytes());
                if (model.add(p)) {
                    t.insert(p.score, p.member);
                    present.add(p);
                }
            }
            check(t, model, rnd);
            while (model.size() > 20) {
                int i = rnd.nextInt(present.size());
                Pair p = present.get(i);
                present.set(i, present.get(present.size() - 1));
                present.remove(present.size() - 1);
                model.remove(p);
                t.delete(p.score, p.member);
                if (model.size() % 50_000 == 0) {
                    check(t, model, rnd);
                }
            }
            check(t, model, rnd);
            // Shrunk by merges: no more leaves than the pairs need, at a quarter full.
            long leaves = 0;
            for (ScoreTree.Leaf l = t.first(); l != null; l = l.next) {
                leaves++;
            }
            assertTrue(leaves <= 2, "leaves left for 20 pairs: " + leaves);
        }
    }

    /** A copy, a load or ever-growing scores insert in order: the leaves end up full, not half full. */
    @Test
    void sortedInsertionsFillTheLeaves() {
        for (boolean descending : new boolean[] {false, true}) {
            ScoreTree t = new ScoreTree();
            TreeSet<Pair> model = new TreeSet<>();
            int n = 200_000;
            for (int i = 0; i < n; i++) {
                Pair p = new Pair(descending ? n - i : i, "m".getBytes());
                model.add(p);
                t.insert(p.score, p.member);
            }
            check(t, model, new Random(3));
            long leaves = 0;
            for (ScoreTree.Leaf l = t.first(); l != null; l = l.next) {
                leaves++;
            }
            assertTrue(leaves <= n / ScoreTree.LEAF + 2, (descending ? "descending: " : "ascending: ") + leaves + " leaves");
        }
    }

    @Test
    void equalScoresOrderByMemberBytes() {
        ScoreTree t = new ScoreTree();
        TreeSet<Pair> model = new TreeSet<>();
        Random rnd = new Random(9);
        for (int i = 0; i < 20_000; i++) {
            byte[] m = new byte[1 + rnd.nextInt(4)];
            rnd.nextBytes(m);
            Pair p = new Pair(1.0, m);
            if (model.add(p)) {
                t.insert(1.0, m);
            }
        }
        check(t, model, rnd);
        byte[] probe = {(byte) 0x80};
        long below = model.stream().filter(p -> Arrays.compareUnsigned(p.member, probe) < 0).count();
        assertEquals(below, t.countBefore((s, m) -> Arrays.compareUnsigned(m, probe) < 0));
    }
}
