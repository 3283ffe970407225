package dev.quokka.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Probe 6 of issue 16: an OutOfMemoryError in the middle of a pipeline. The packaged server runs
 * with a 512 MB heap, the AOF on and {@code appendfsync always}; {@code SETBIT big 4294967295 1}
 * needs a 512 MB array, so it fails with an OutOfMemoryError wherever it is placed. Pipelines of
 * random commands, each reply unique, with that command at a random position: every reply that
 * arrives pairs with its request, the failing command gets {@code -OOM} and the connection closes,
 * no bytes inside a value run as a command, a MULTI/EXEC around it is absent after kill -9 and
 * restart while the writes before it are there, and the server goes on serving others.
 *
 * <p>{@code -Dhardening.pipelines=N} sets the number of pipelines (CI runs 100; 1,000 were run once,
 * docs/operations.md).
 */
class OutOfMemoryIT {
    private static final String OOM_COMMAND = "SETBIT";

    @TempDir
    Path dir;

    @Test
    void outOfMemoryInAPipelineKeepsRepliesPairedAndTransactionsWhole() throws Exception {
        int pipelines = Integer.getInteger("hardening.pipelines", 100);
        Random random = new Random(16);
        Map<String, String> written = new LinkedHashMap<>();
        List<String> transactionKeys = new ArrayList<>();
        int repliesChecked = 0;
        long start = System.nanoTime();
        QuokkaProcess q = QuokkaProcess.start(dir, "--appendonly", "yes", "--appendfsync", "always");
        try {
            for (int p = 0; p < pipelines; p++) {
                List<String[]> commands = new ArrayList<>();
                List<String> expected = new ArrayList<>();
                boolean multi = p % 4 == 3;
                int before = random.nextInt(12);
                for (int i = 0; i < before; i++) {
                    String key = "k:" + p + ":" + i;
                    // A value holding a whole request: it must stay a value.
                    String value = "v" + p + "-" + i + "\r\n*3\r\n$3\r\nSET\r\n$6\r\npwned" + (p % 10) + "\r\n$3\r\nyes\r\n";
                    switch (random.nextInt(3)) {
                        case 0 -> {
                            commands.add(new String[] {"SET", key, value});
                            expected.add("+OK\r\n");
                            written.put(key, value);
                        }
                        case 1 -> {
                            String echo = "echo-" + p + "-" + i;
                            commands.add(new String[] {"ECHO", echo});
                            expected.add("$" + echo.length() + "\r\n" + echo + "\r\n");
                        }
                        default -> {
                            commands.add(new String[] {"INCRBY", "counter:" + p, Integer.toString(i + 1)});
                            long sum = 0;
                            for (String[] c : commands) {
                                if (c[0].equals("INCRBY") && c[1].equals("counter:" + p)) {
                                    sum += Long.parseLong(c[2]);
                                }
                            }
                            expected.add(":" + sum + "\r\n");
                            written.put("counter:" + p, Long.toString(sum));
                        }
                    }
                }
                if (multi) {
                    String x = "tx:" + p + ":x";
                    String y = "tx:" + p + ":y";
                    transactionKeys.add(x);
                    transactionKeys.add(y);
                    commands.add(new String[] {"MULTI"});
                    commands.add(new String[] {"SET", x, "1"});
                    commands.add(new String[] {OOM_COMMAND, "big", "4294967295", "1"});
                    commands.add(new String[] {"SET", y, "1"});
                    commands.add(new String[] {"EXEC"});
                    expected.addAll(List.of("+OK\r\n", "+QUEUED\r\n", "+QUEUED\r\n", "+QUEUED\r\n"));
                } else {
                    commands.add(new String[] {OOM_COMMAND, "big", "4294967295", "1"});
                }
                // What follows the failing command is never run.
                int after = random.nextInt(6);
                for (int i = 0; i < after; i++) {
                    commands.add(new String[] {"SET", "after:" + p + ":" + i, "x"});
                }
                try (RawClient c = new RawClient(q.port)) {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    for (String[] cmd : commands) {
                        b.writeBytes(RawClient.encode(cmd));
                    }
                    c.send(b.toByteArray());
                    for (String e : expected) {
                        assertEquals(e, c.readReply(), "pipeline " + p);
                        repliesChecked++;
                    }
                    String failure = c.readReply();
                    assertTrue(failure.startsWith("-OOM "), "pipeline " + p + ": " + failure);
                    assertTrue(c.closedByServer(), "pipeline " + p + ": the connection closes after -OOM");
                }
            }
            try (RawClient c = new RawClient(q.port)) {
                assertEquals("+PONG\r\n", c.call("PING"), "the server serves others after the errors");
                assertEquals(":0\r\n", c.call("EXISTS", "big"));
                for (int i = 0; i < 10; i++) {
                    assertEquals(":0\r\n", c.call("EXISTS", "pwned" + i), "no bytes of a value ran as a command");
                }
                assertEquals("*0\r\n", c.call("KEYS", "after:*"), "nothing after the failing command ran");
            }
            q.kill();
            q = QuokkaProcess.start(dir, "--appendonly", "yes", "--appendfsync", "always");
            try (RawClient c = new RawClient(q.port)) {
                for (Map.Entry<String, String> e : written.entrySet()) {
                    String v = e.getValue();
                    assertEquals("$" + v.getBytes(StandardCharsets.UTF_8).length + "\r\n" + v + "\r\n",
                        c.call("GET", e.getKey()), "acknowledged write " + e.getKey() + " survives kill -9");
                }
                for (String k : transactionKeys) {
                    assertEquals(":0\r\n", c.call("EXISTS", k), "a transaction cut by OutOfMemoryError is absent: " + k);
                }
            }
        } finally {
            System.out.println("[hardening] " + pipelines + " pipelines with an OutOfMemoryError at a random position: "
                + repliesChecked + " replies paired, " + written.size() + " writes and " + transactionKeys.size() / 2
                + " cut transactions checked after kill -9, in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            q.terminate(10);
        }
    }
}
