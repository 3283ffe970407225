package dev.quokka.keyspace;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory accounting of collections (ARCHITECTURE invariant 7): each type's estimate against the
 * heap layout JOL measures, in its compact and full encodings, and a database's total kept
 * exact through in-place changes settled after each command.
 */
class CollectionMemoryTest {
    static {
        System.setProperty("jol.magicFieldOffset", "true"); // JOL reads record fields (StreamId) this way
    }

    private static long measured(Object o) {
        return GraphLayout.parseInstance(o).totalSize();
    }

    /** The estimate is within {@code percent} of the measured size. */
    private static void near(Collection c, double percent) {
        long m = measured(c);
        long e = c.bytes();
        assertTrue(Math.abs(e - m) <= m * percent / 100, c.encoding() + " of " + c.size() + ": estimated " + e
            + ", measured " + m);
    }

    private static byte[] b(String s) {
        return s.getBytes();
    }

    @Test
    void compactEncodingsMatchTheHeap() {
        ListValue l = new ListValue();
        HashValue h = new HashValue();
        SetValue s = new SetValue(b("1"));
        ZSetValue z = new ZSetValue(true);
        for (int i = 0; i < 100; i++) {
            l.addLast(b("element" + i));
            h.put(b("f" + i), b("value" + i), 128, 64);
            s.add(b(Integer.toString(i * 3)), 512);
            z.put(b("m" + i), i * 0.5, 128, 64);
        }
        assertEquals("listpack", h.encoding());
        assertEquals("intset", s.encoding());
        assertEquals("listpack", z.encoding());
        near(l, 1);
        near(h, 1);
        near(s, 1);
        near(z, 1);
    }

    @Test
    void fullEncodingsAreCloseToTheHeap() {
        HashValue h = new HashValue();
        SetValue s = new SetValue(b("x"));
        ZSetValue z = new ZSetValue(false);
        for (int i = 0; i < 5000; i++) {
            h.put(b("f" + i), b("value" + i), 128, 64);
            s.add(b("member" + i), 512);
            z.put(b("m" + i), i * 0.5, 128, 64);
        }
        assertEquals("hashtable", h.encoding());
        assertEquals("hashtable", s.encoding());
        assertEquals("skiplist", z.encoding());
        near(h, 2);
        near(s, 2);
        near(z, 5); // skip-list levels are random: the estimate takes their mean
    }

    @Test
    void theDatabaseTotalFollowsInPlaceChanges() {
        Keyspace ks = new Keyspace(1);
        Database db = ks.db(0);
        Random rnd = new Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] key = b("k" + rnd.nextInt(20));
            Entry e = ks.write(db, key);
            int op = rnd.nextInt(4);
            if (e == null) {
                Collection v = switch (op) {
                    case 0 -> new ListValue();
                    case 1 -> new HashValue();
                    case 2 -> new SetValue(b("1"));
                    default -> new ZSetValue(true);
                };
                e = ks.add(db, key, v);
            }
            Object v = e.value();
            String m = Integer.toString(rnd.nextInt(300));
            if (v instanceof ListValue l) {
                if (rnd.nextBoolean() || l.size() == 0) {
                    l.addLast(b("e" + m));
                } else {
                    l.removeFirst();
                }
            } else if (v instanceof HashValue h) {
                if (rnd.nextInt(3) > 0) {
                    h.put(b(m), b("v".repeat(rnd.nextInt(80))), 128, 64);
                } else {
                    h.remove(b(m));
                }
            } else if (v instanceof SetValue s) {
                if (rnd.nextInt(3) > 0) {
                    s.add(rnd.nextInt(10) == 0 ? b("x" + m) : b(m), 512);
                } else {
                    s.remove(b(m));
                }
            } else if (v instanceof ZSetValue z) {
                if (rnd.nextInt(3) > 0) {
                    z.put(b(m), rnd.nextInt(100), 128, 64);
                } else {
                    z.remove(b(m));
                }
            }
            if (((Collection) v).size() == 0) {
                db.remove(key);
            }
            ks.settle();
            long expected = 0;
            for (Entry x : db.snapshot()) {
                expected += MemoryModel.entry(x.key(), x.value()) - MemoryModel.value(x.value()) + ((Collection) x.value()).bytes();
            }
            assertEquals(expected, db.datasetBytes(), "after round " + round);
        }
    }

    @Test
    void streamsMatchTheHeap() {
        StreamValue s = new StreamValue();
        for (int i = 1; i <= 1000; i++) {
            byte[][] argv = i % 7 == 0 ? new byte[][] {b("other"), b("v" + i)} : new byte[][] {b("f1"), b("v" + i), b("f2"), b("x")};
            s.append(i, 0, argv, 0, argv.length / 2, 4096, 100);
        }
        for (int i = 1; i <= 1000; i += 3) {
            s.delete(new StreamId(i, 0));
        }
        assertEquals(666, s.length());
        near(s, 2);
        StreamGroup g = s.createGroup(b("group"), StreamId.MIN, 0);
        StreamGroup.Consumer alice = g.createConsumer(b("alice"), 1);
        StreamGroup.Consumer bob = g.createConsumer(b("bob"), 1);
        for (int i = 1; i <= 300; i++) {
            g.deliver(new StreamId(i, 0), i % 2 == 0 ? alice : bob, 5);
        }
        g.ack(new StreamId(2, 0));
        near(s, 2);
        near((StreamValue) s.copy(), 2);
    }
}
