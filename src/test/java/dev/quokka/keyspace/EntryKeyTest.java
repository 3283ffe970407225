package dev.quokka.keyspace;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Keys kept in the entry's two words plus a tail array: every length around the 8- and 16-byte
 * boundaries round-trips, hashes as its bytes do (the table's growth rehashes from the entry),
 * and is told apart from keys that differ only by trailing zero bytes or by length.
 */
class EntryKeyTest {
    private static List<byte[]> keys() {
        Random random = new Random(7);
        List<byte[]> keys = new ArrayList<>();
        for (int n = 0; n <= 41; n++) {
            byte[] k = new byte[n];
            random.nextBytes(k);
            keys.add(k);
            byte[] zeros = new byte[n]; // all zero: differs from its neighbours only by length
            keys.add(zeros);
        }
        keys.add(new byte[] {'a'});
        keys.add(new byte[] {'a', 0});
        keys.add(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1});
        java.util.Set<String> seen = new java.util.HashSet<>();
        keys.removeIf(k -> !seen.add(Arrays.toString(k))); // the empty key is there twice
        return keys;
    }

    @Test
    void everyLengthRoundTripsAndHashesAsItsBytes() {
        for (byte[] key : keys()) {
            Entry e = new Entry(key, null);
            String what = Arrays.toString(key);
            assertEquals(key.length, e.keyLength(), what);
            assertArrayEquals(key, e.key(), what);
            assertEquals(Database.hash(key), e.hash(), what);
            byte[] framed = new byte[key.length + 7]; // the key inside a larger buffer, as prefetch hashes it
            System.arraycopy(key, 0, framed, 3, key.length);
            java.util.Arrays.fill(framed, 0, 3, (byte) 0x55);
            java.util.Arrays.fill(framed, 3 + key.length, framed.length, (byte) 0x55);
            assertEquals(Database.hash(key), Database.hash(framed, 3, key.length), what);
        }
    }

    @Test
    void lookupsTellKeysApartThroughGrowthAndShrinking() {
        Database db = new Database(0);
        List<byte[]> keys = keys();
        for (int i = 0; i < keys.size(); i++) {
            db.add(keys.get(i), i);
        }
        for (int i = 0; i < 2000; i++) { // grow the table several times
            db.add(("filler:" + i).getBytes(), -1);
        }
        for (int i = 0; i < keys.size(); i++) {
            Entry e = db.find(keys.get(i));
            assertNotNull(e, Arrays.toString(keys.get(i)));
            assertEquals(i, e.value(), Arrays.toString(keys.get(i)));
        }
        for (int i = 0; i < 2000; i++) { // and shrink it
            assertNotNull(db.remove(("filler:" + i).getBytes()));
        }
        for (int i = 0; i < keys.size(); i += 2) {
            Entry e = db.remove(keys.get(i));
            assertNotNull(e);
            assertEquals(i, e.value());
        }
        for (int i = 0; i < keys.size(); i++) {
            Entry e = db.find(keys.get(i));
            if (i % 2 == 0) {
                assertNull(e, Arrays.toString(keys.get(i)));
            } else {
                assertSame(i, e.value(), Arrays.toString(keys.get(i)));
            }
        }
        assertEquals(keys.size() / 2, db.size());
    }
}
