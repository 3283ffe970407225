package dev.quokka.keyspace;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The accounting's estimates against the heap layout JOL measures on the running JVM: an entry
 * with its key and value, byte arrays of every size up to 64, reference arrays, and a database's
 * totals after adds, overwrites and removes.
 */
class MemoryModelTest {
    private static long measured(Object o) {
        return GraphLayout.parseInstance(o).totalSize();
    }

    @Test
    void byteArraysAndReferenceArraysMatchTheHeap() {
        for (int n = 0; n <= 64; n++) {
            assertEquals(measured(new byte[n]), MemoryModel.byteArray(n), "byte[" + n + "]");
        }
        for (int n : new int[] {0, 1, 16, 17, 1024}) {
            assertEquals(measured(new Entry[n]), MemoryModel.refArray(n), "Entry[" + n + "]");
        }
    }

    @Test
    void anEntryWithItsKeyAndValueMatchesTheHeap() {
        Database db = new Database(0);
        for (int k = 1; k <= 40; k += 3) {
            for (int v = 0; v <= 40; v += 7) {
                byte[] key = new byte[k];
                key[0] = (byte) v;
                Entry e = db.add(key, new byte[v]);
                e.next = null; // the measurement follows references: only this entry
                assertEquals(measured(e), MemoryModel.entry(key, e.value()), "key " + k + ", value " + v);
            }
        }
    }

    @Test
    void aDatabaseKeepsItsTotalThroughChanges() {
        Database db = new Database(0);
        long expected = 0;
        for (int i = 0; i < 1000; i++) {
            byte[] key = ("key:" + i).getBytes();
            byte[] value = new byte[i % 50];
            db.add(key, value);
            expected += MemoryModel.entry(key, value);
        }
        assertEquals(expected, db.datasetBytes());
        Entry e = db.find("key:7".getBytes());
        long before = MemoryModel.value(e.value());
        db.setValue(e, new byte[500]);
        expected += MemoryModel.byteArray(500) - before;
        assertEquals(expected, db.datasetBytes());
        for (int i = 0; i < 1000; i += 2) {
            byte[] key = ("key:" + i).getBytes();
            expected -= MemoryModel.entry(key, db.find(key).value());
            db.remove(key);
        }
        assertEquals(expected, db.datasetBytes());
        db.clear();
        assertEquals(0, db.datasetBytes());
    }
}
