package dev.quokka.session;

import dev.quokka.protocol.InlineSplitter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The clients in MONITOR mode and the feed they receive (Redis's replicationFeedMonitors): one
 * status line per executed command, {@code +<seconds>.<micros> [<db> <ip:port>] "arg" ...}, the
 * arguments quoted as Redis's {@code sdscatrepr} quotes them. Keyspace context only.
 */
public final class Monitors {
    private final Set<Client> monitors = new LinkedHashSet<>();

    public void add(Client c) {
        monitors.add(c);
    }

    public void remove(Client c) {
        monitors.remove(c);
    }

    public boolean isEmpty() {
        return monitors.isEmpty();
    }

    /** Sends a command {@code from} ran in database {@code db} to every monitor. */
    public void feed(Client from, int db, byte[][] argv, int argc) {
        if (monitors.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        StringBuilder sb = new StringBuilder(64);
        sb.append('+').append(now.getEpochSecond()).append('.');
        String micros = Integer.toString(now.getNano() / 1000);
        sb.append("0".repeat(6 - micros.length())).append(micros);
        sb.append(" [").append(db).append(' ').append(from.addr()).append("] ");
        for (int j = 0; j < argc; j++) {
            InlineSplitter.repr(sb, argv[j]);
            if (j != argc - 1) {
                sb.append(' ');
            }
        }
        sb.append("\r\n");
        byte[] line = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        for (Client m : monitors.toArray(new Client[0])) {
            m.push(w -> w.raw(line));
        }
    }
}
