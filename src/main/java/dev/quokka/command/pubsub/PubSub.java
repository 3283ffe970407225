package dev.quokka.command.pubsub;

import dev.quokka.keyspace.Glob;
import dev.quokka.server.Client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Channels and patterns with their subscribers (Redis's {@code pubsub.c}, without shard
 * channels). Names are kept as ISO-8859-1 Strings, a lossless one-char-per-byte mapping, so
 * binary channel names work as map keys. Runs on the keyspace context only.
 */
public final class PubSub {
    private final Map<String, Set<Client>> channels = new LinkedHashMap<>();
    private final Map<String, Set<Client>> patterns = new LinkedHashMap<>();

    static String name(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** INFO pubsub_channels. */
    public int channelCount() {
        return channels.size();
    }

    /** INFO pubsub_patterns. */
    public int patternCount() {
        return patterns.size();
    }

    boolean subscribe(Client c, String channel) {
        if (!c.channels().add(channel)) {
            return false;
        }
        channels.computeIfAbsent(channel, k -> new LinkedHashSet<>()).add(c);
        return true;
    }

    boolean unsubscribe(Client c, String channel) {
        if (!c.channels().remove(channel)) {
            return false;
        }
        Set<Client> subs = channels.get(channel);
        subs.remove(c);
        if (subs.isEmpty()) {
            channels.remove(channel);
        }
        return true;
    }

    boolean psubscribe(Client c, String pattern) {
        if (!c.patterns().add(pattern)) {
            return false;
        }
        patterns.computeIfAbsent(pattern, k -> new LinkedHashSet<>()).add(c);
        return true;
    }

    boolean punsubscribe(Client c, String pattern) {
        if (!c.patterns().remove(pattern)) {
            return false;
        }
        Set<Client> subs = patterns.get(pattern);
        subs.remove(c);
        if (subs.isEmpty()) {
            patterns.remove(pattern);
        }
        return true;
    }

    /** Drops every subscription of a client that disconnects or RESETs, without notifications. */
    public void forget(Client c) {
        for (String ch : new ArrayList<>(c.channels())) {
            unsubscribe(c, ch);
        }
        for (String p : new ArrayList<>(c.patterns())) {
            punsubscribe(c, p);
        }
    }

    /** Delivers a message; returns the number of deliveries (Redis counts each matching pattern). */
    public int publish(byte[] channel, byte[] message) {
        int receivers = 0;
        Set<Client> subs = channels.get(name(channel));
        if (subs != null) {
            for (Client s : subs.toArray(new Client[0])) {
                s.push(w -> {
                    w.push(3);
                    w.bulk("message");
                    w.bulk(channel);
                    w.bulk(message);
                });
                receivers++;
            }
        }
        for (Map.Entry<String, Set<Client>> e : new ArrayList<>(patterns.entrySet())) {
            byte[] pattern = bytes(e.getKey());
            if (!Glob.match(pattern, channel, false)) {
                continue;
            }
            for (Client s : e.getValue().toArray(new Client[0])) {
                s.push(w -> {
                    w.push(4);
                    w.bulk("pmessage");
                    w.bulk(pattern);
                    w.bulk(channel);
                    w.bulk(message);
                });
                receivers++;
            }
        }
        return receivers;
    }

    /** Active channels, optionally matching a pattern (PUBSUB CHANNELS). */
    List<String> activeChannels(byte[] pattern) {
        List<String> out = new ArrayList<>();
        for (String ch : channels.keySet()) {
            if (pattern == null || Glob.match(pattern, bytes(ch), false)) {
                out.add(ch);
            }
        }
        return out;
    }

    int subscribers(String channel) {
        Set<Client> subs = channels.get(channel);
        return subs == null ? 0 : subs.size();
    }
}
