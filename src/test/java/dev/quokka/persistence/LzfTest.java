package dev.quokka.persistence;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LZF: what is compressed decompresses to the input, within the size asked for, or is refused;
 * one compressor for every input, as a writer uses it (its table keeps entries of earlier inputs).
 */
class LzfTest {
    @Test
    void roundTripsEveryShapeOfInput() {
        Random r = new Random(7);
        Lzf.Compressor lzf = new Lzf.Compressor();
        for (int round = 0; round < 3000; round++) {
            int n = r.nextInt(round < 2000 ? 600 : 70_000);
            byte[] in = new byte[n];
            int alphabet = 1 + r.nextInt(round % 3 == 0 ? 256 : 4);
            for (int i = 0; i < n; i++) {
                // runs, repeats at every distance, and noise
                in[i] = i > 300 && r.nextInt(4) == 0 ? in[i - 1 - r.nextInt(300)] : (byte) r.nextInt(alphabet);
            }
            byte[] packed = lzf.compress(in, Math.max(0, n - 4));
            if (packed != null) {
                assertTrue(packed.length <= n - 4, "within the limit");
                assertArrayEquals(in, Lzf.decompress(packed, n), "round " + round);
            }
        }
    }

    @Test
    void repetitionCompressesAndNoiseIsRefused() {
        byte[] text = "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc".repeat(100).getBytes(StandardCharsets.US_ASCII);
        Lzf.Compressor lzf = new Lzf.Compressor();
        byte[] packed = lzf.compress(text, text.length - 4);
        assertTrue(packed.length < text.length / 20, "long matches: " + packed.length);
        assertArrayEquals(text, Lzf.decompress(packed, text.length));
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        assertNull(lzf.compress(noise, noise.length - 4));
    }
}
