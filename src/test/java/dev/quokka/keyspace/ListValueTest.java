package dev.quokka.keyspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The packed list against a plain list model: every operation, elements of every length class. */
class ListValueTest {

    /** Mostly small elements, some past the one-byte length (128), a few past a whole node. */
    private static byte[] element(Random rnd, int serial) {
        int r = rnd.nextInt(100);
        int len = r < 70 ? rnd.nextInt(12) : r < 95 ? 100 + rnd.nextInt(400) : 7000 + rnd.nextInt(12000);
        byte[] v = new byte[len];
        rnd.nextBytes(v);
        if (len >= 4) {
            v[0] = (byte) serial;
            v[1] = (byte) (serial >>> 8);
            v[2] = (byte) (serial >>> 16);
        }
        return v;
    }

    private static void same(List<byte[]> model, ListValue l, Random rnd) {
        assertEquals(model.size(), l.size());
        List<byte[]> seen = new ArrayList<>();
        l.forEach(seen::add);
        assertEquals(model.size(), seen.size());
        for (int i = 0; i < model.size(); i++) {
            assertArrayEquals(model.get(i), seen.get(i), "forEach at " + i);
        }
        // by index: forwards, backwards, and at random (the remembered position in every direction)
        for (int i = 0; i < model.size(); i++) {
            assertArrayEquals(model.get(i), l.get(i), "get forwards " + i);
        }
        for (int i = model.size() - 1; i >= 0; i--) {
            assertArrayEquals(model.get(i), l.get(i), "get backwards " + i);
        }
        for (int k = 0; k < 50 && !model.isEmpty(); k++) {
            int i = rnd.nextInt(model.size());
            assertArrayEquals(model.get(i), l.get(i), "get " + i);
        }
        // compared in place: each element against itself, and against another (equal or not)
        for (int i = model.size() - 1; i >= 0; i--) {
            assertTrue(l.matches(i, model.get(i)), "matches " + i);
            byte[] other = model.get(rnd.nextInt(model.size()));
            assertEquals(java.util.Arrays.equals(other, model.get(i)), l.matches(i, other), "matches another at " + i);
            byte[] changed = model.get(i).clone();
            if (changed.length > 0) {
                changed[rnd.nextInt(changed.length)] ^= 1;
                assertFalse(l.matches(i, changed), "matches a changed copy at " + i);
            }
        }
        // ranges without copies, from wherever get left off
        for (int k = 0; k < 20 && !model.isEmpty(); k++) {
            int from = rnd.nextInt(model.size());
            int to = from + rnd.nextInt(model.size() - from);
            List<byte[]> got = new ArrayList<>();
            l.range(from, to, (a, f, t) -> got.add(Arrays.copyOfRange(a, f, t)));
            assertEquals(to - from + 1, got.size());
            for (int i = from; i <= to; i++) {
                assertArrayEquals(model.get(i), got.get(i - from), "range " + from + ".." + to + " at " + i);
            }
        }
    }

    @Test
    void matchesAListModelUnderEveryOperation() {
        Random rnd = new Random(23);
        ListValue l = new ListValue();
        List<byte[]> model = new ArrayList<>();
        int serial = 0;
        for (int step = 0; step < 40_000; step++) {
            int op = rnd.nextInt(100);
            int n = model.size();
            if (op < 20) {
                byte[] v = element(rnd, serial++);
                l.addFirst(v);
                model.add(0, v);
            } else if (op < 40) {
                byte[] v = element(rnd, serial++);
                l.addLast(v);
                model.add(v);
            } else if (op < 45 && n > 0) {
                assertArrayEquals(model.remove(0), l.removeFirst());
            } else if (op < 50 && n > 0) {
                byte[] expected = model.remove(0);
                l.removeFirst((a, f, t) -> assertArrayEquals(expected, Arrays.copyOfRange(a, f, t)));
            } else if (op < 55 && n > 0) {
                assertArrayEquals(model.remove(n - 1), l.removeLast());
            } else if (op < 60 && n > 0) {
                byte[] expected = model.remove(n - 1);
                l.removeLast((a, f, t) -> assertArrayEquals(expected, Arrays.copyOfRange(a, f, t)));
            } else if (op < 70) {
                int i = rnd.nextInt(n + 1);
                byte[] v = element(rnd, serial++);
                l.insert(i, v);
                model.add(i, v);
            } else if (op < 78 && n > 0) {
                int i = rnd.nextInt(n);
                assertArrayEquals(model.remove(i), l.remove(i));
            } else if (op < 88 && n > 0) {
                int i = rnd.nextInt(n);
                byte[] v = rnd.nextBoolean() ? element(rnd, serial++) : model.get(i).clone();
                l.set(i, v);
                model.set(i, v);
            } else if (op < 90 && n > 0) {
                int from = rnd.nextInt(n);
                int to = from + rnd.nextInt(n - from);
                l.keep(from, to);
                List<byte[]> kept = new ArrayList<>(model.subList(from, to + 1));
                model.clear();
                model.addAll(kept);
            } else if (op < 92 && n > 0) {
                int[] drop = new int[n];
                int dropped = 0;
                for (int i = 0; i < n; i++) {
                    if (rnd.nextInt(4) == 0) {
                        drop[dropped++] = i;
                    }
                }
                for (int k = dropped - 1; k >= 0; k--) {
                    model.remove(drop[k]);
                }
                l.removeAt(drop, dropped);
            } else if (op < 94) {
                ListValue c = (ListValue) l.copy();
                assertEquals(l.size(), c.size());
                if (rnd.nextBoolean()) {
                    l = c;
                }
            } else if (n > 0) {
                int i = rnd.nextInt(n);
                assertArrayEquals(model.get(i), l.get(i));
            }
            // grow and shrink in turns, so that lists pass through every size many times
            if (model.size() > 300 && rnd.nextInt(200) == 0) {
                l.keep(0, 20);
                model.subList(21, model.size()).clear();
            }
            assertEquals(model.size(), l.size());
            if (step % 500 == 0) {
                same(model, l, rnd);
            }
        }
        same(model, l, rnd);
    }

    @Test
    void bytesFollowTheElementsAndReturnToEmpty() {
        ListValue l = new ListValue();
        long empty = l.bytes();
        for (int i = 0; i < 100_000; i++) {
            l.addLast(("e" + i).getBytes());
        }
        long full = l.bytes();
        // 7.9 bytes per element packed (5.9 on average and two lengths) and a node per 8 KiB: a
        // tenth over that at most; one object per element would be 24 bytes and a reference
        assertTrue(full - empty < 100_000 * 8.7, "bytes " + (full - empty));
        assertTrue(full - empty > 100_000 * 7.9, "bytes " + (full - empty));
        for (int i = 0; i < 50_000; i++) {
            l.removeFirst();
            l.removeLast();
        }
        assertEquals(0, l.size());
        assertEquals(empty, l.bytes());
        l.addFirst(new byte[20_000]);
        l.insert(1, new byte[3]);
        l.insert(1, new byte[9000]);
        assertEquals(3, l.size());
        assertEquals(9000, l.get(1).length);
        l.keep(1, 0);
        assertEquals(0, l.size());
        assertEquals(empty, l.bytes());
    }

    @Test
    void copiesShareNothing() {
        ListValue l = new ListValue();
        for (int i = 0; i < 5000; i++) {
            l.addLast(("v" + i).getBytes());
        }
        ListValue c = (ListValue) l.copy();
        l.set(10, "changed".getBytes());
        l.removeFirst();
        assertEquals("v10", new String(c.get(10)));
        assertEquals("v0", new String(c.get(0)));
        assertEquals(5000, c.size());
        assertEquals(l.bytes() > 0, c.bytes() > 0);
        assertArrayEquals("changed".getBytes(), l.get(9));
        byte[][] all = new byte[c.size()][];
        int[] k = {0};
        c.forEach(e -> all[k[0]++] = e);
        assertEquals("v4999", new String(all[4999]));
        assertTrue(Arrays.equals("v1".getBytes(), all[1]));
    }
}
