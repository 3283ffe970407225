package dev.quokka.keyspace;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each collection against a plain Java model under long random operation sequences, across its
 * encoding switch (thresholds set low), and after copies (the snapshot's copy-on-write).
 */
class CollectionModelTest {
    private static byte[] b(String s) {
        return s.getBytes();
    }

    private record Scored(String member, double score) {
    }

    private static final Comparator<Scored> ORDER = Comparator.comparingDouble(Scored::score)
        .thenComparing((x, y) -> Arrays.compareUnsigned(b(x.member()), b(y.member())));

    @Test
    void sortedSetMatchesAModel() {
        Random rnd = new Random(11);
        ZSetValue z = new ZSetValue(true);
        Map<String, Double> scores = new HashMap<>();
        TreeSet<Scored> order = new TreeSet<>(ORDER);
        for (int step = 0; step < 30_000; step++) {
            String m = "m" + rnd.nextInt(400);
            int op = rnd.nextInt(10);
            if (op < 6) {
                double s = rnd.nextInt(50) + (rnd.nextBoolean() ? 0.5 : 0);
                Double old = scores.put(m, s);
                if (old != null) {
                    order.remove(new Scored(m, old));
                }
                order.add(new Scored(m, s));
                assertEquals(old == null, z.put(b(m), s, 64, 64));
            } else if (op < 8) {
                Double old = scores.remove(m);
                if (old != null) {
                    order.remove(new Scored(m, old));
                }
                assertEquals(old != null, z.remove(b(m)));
            } else if (op == 8) {
                z = (ZSetValue) z.copy();
            } else {
                List<Scored> all = new ArrayList<>(order);
                Double s = scores.get(m);
                assertEquals(s == null ? -1 : all.indexOf(new Scored(m, s)), z.rank(b(m)));
                double probe = rnd.nextInt(50);
                assertEquals(all.stream().filter(x -> x.score() < probe).count(), z.countBelow(probe, false));
                assertEquals(all.stream().filter(x -> x.score() <= probe).count(), z.countBelow(probe, true));
            }
            assertEquals(order.size(), z.size());
            if (step % 500 == 0 && z.size() > 0) {
                List<Scored> all = new ArrayList<>(order);
                List<Scored> got = new ArrayList<>();
                z.range(0, z.size() - 1, false, (mm, ss) -> got.add(new Scored(new String(mm), ss)));
                assertEquals(all, got);
                List<Scored> rev = new ArrayList<>();
                z.range(0, z.size() - 1, true, (mm, ss) -> rev.add(0, new Scored(new String(mm), ss)));
                assertEquals(all, rev);
                int r = rnd.nextInt(z.size());
                assertEquals(all.get(r).member(), new String(z.memberAt(r)));
                assertEquals(all.get(r).score(), z.scoreAt(r));
            }
        }
        assertEquals("skiplist", z.encoding());
    }

    @Test
    void listHashAndSetMatchModels() {
        Random rnd = new Random(5);
        ListValue l = new ListValue();
        List<String> lm = new ArrayList<>();
        HashValue h = new HashValue();
        Map<String, String> hm = new HashMap<>();
        SetValue s = new SetValue(b("1"));
        TreeSet<String> sm = new TreeSet<>();
        for (int step = 0; step < 30_000; step++) {
            String v = Integer.toString(rnd.nextInt(300));
            switch (rnd.nextInt(9)) {
                case 0 -> {
                    l.addFirst(b(v));
                    lm.add(0, v);
                }
                case 1 -> {
                    l.addLast(b(v));
                    lm.add(v);
                }
                case 2 -> {
                    if (!lm.isEmpty()) {
                        int i = rnd.nextInt(lm.size());
                        assertEquals(lm.remove(i), new String(l.remove(i)));
                        int j = rnd.nextInt(lm.size() + 1);
                        l.insert(j, b(v));
                        lm.add(j, v);
                    }
                }
                case 3 -> {
                    if (!lm.isEmpty()) {
                        assertEquals(lm.remove(lm.size() - 1), new String(l.removeLast()));
                    }
                }
                case 4 -> {
                    assertEquals(hm.put(v, "x" + step) == null, h.put(b(v), b("x" + step), 64, 64));
                }
                case 5 -> assertEquals(hm.remove(v) != null, h.remove(b(v)));
                case 6 -> {
                    String m = rnd.nextInt(20) == 0 ? "s" + v : v;
                    assertEquals(sm.add(m), s.add(b(m), 100));
                }
                case 7 -> assertEquals(sm.remove(v), s.remove(b(v)));
                default -> {
                    l = (ListValue) l.copy();
                    h = (HashValue) h.copy();
                    s = (SetValue) s.copy();
                }
            }
            assertEquals(lm.size(), l.size());
            assertEquals(hm.size(), h.size());
            assertEquals(sm.size(), s.size());
            if (step % 1000 == 0) {
                for (int i = 0; i < lm.size(); i++) {
                    assertEquals(lm.get(i), new String(l.get(i)));
                }
                for (Map.Entry<String, String> e : hm.entrySet()) {
                    assertArrayEquals(b(e.getValue()), h.get(b(e.getKey())));
                }
                TreeSet<String> members = new TreeSet<>();
                s.forEach(m -> members.add(new String(m)));
                assertEquals(sm, members);
            }
        }
    }
}
