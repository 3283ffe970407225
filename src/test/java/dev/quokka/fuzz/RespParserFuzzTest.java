package dev.quokka.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.quokka.protocol.ProtocolException;
import dev.quokka.protocol.RespParser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the request parser (Jazzer): any bytes, delivered in any split,
 * parse into the same requests or the same protocol error as when they arrive at once; nothing
 * but {@link ProtocolException} is thrown; the buffer never grows far beyond the bytes given (a
 * declared length allocates nothing). Without {@code JAZZER_FUZZ} it replays its corpus
 * ({@code src/test/resources/dev/quokka/fuzz/RespParserFuzzTestInputs}); {@code .ci/run} fuzzes it
 * for a short while.
 */
class RespParserFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void splitsDoNotChangeTheRequests(FuzzedDataProvider data) {
        boolean authenticated = data.consumeBoolean();
        int[] splits = new int[data.consumeInt(0, 8)];
        for (int i = 0; i < splits.length; i++) {
            splits[i] = data.consumeInt(1, 64);
        }
        byte[] input = data.consumeRemainingAsBytes();
        List<String> whole = parse(input, authenticated, new int[0]);
        List<String> split = parse(input, authenticated, splits);
        assertEquals(whole, split);
    }

    /** The requests (or the error) parsed from {@code input} fed in pieces of the given sizes, then the rest. */
    private static List<String> parse(byte[] input, boolean authenticated, int[] splits) {
        RespParser p = new RespParser();
        p.authenticated(authenticated);
        p.maxBulkLen(1 << 20);
        List<String> requests = new ArrayList<>();
        int off = 0;
        int piece = 0;
        try {
            while (off < input.length) {
                int n = piece < splits.length ? Math.min(splits[piece++], input.length - off) : input.length - off;
                p.feed(input, off, n);
                off += n;
                // Memory follows the bytes: at most twice what arrived, beyond the initial 16 KiB.
                assertTrue(p.requestBytes() <= 16 * 1024 + 2L * off + 64L * off, "buffer " + p.requestBytes()
                    + " after " + off + " bytes");
                while (p.next()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < p.argc(); i++) {
                        sb.append(Arrays.toString(p.argv()[i])).append(' ');
                    }
                    requests.add(sb.toString());
                    p.release();
                }
            }
        } catch (ProtocolException e) {
            requests.add("error: " + e.getMessage());
        }
        return requests;
    }
}
