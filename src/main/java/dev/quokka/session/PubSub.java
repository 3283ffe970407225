package dev.quokka.session;

import dev.quokka.keyspace.Glob;
import dev.quokka.session.Client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Channels, patterns and shard channels with their subscribers (Redis's {@code pubsub.c}; a
 * single server owns every slot, so shard channels are a second, pattern-less namespace). Names are kept as ISO-8859-1 Strings, a lossless one-char-per-byte mapping, so
 * binary channel names work as map keys. Runs on the keyspace context only.
 */
public final class PubSub {
    private final Map<String, Set<Client>> channels = new LinkedHashMap<>();
    private final Map<String, Set<Client>> patterns = new LinkedHashMap<>();
    private final Map<String, Set<Client>> shardChannels = new LinkedHashMap<>();

    public static String name(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    public static byte[] bytes(String s) {
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

    /** INFO pubsubshard_channels. */
    public int shardChannelCount() {
        return shardChannels.size();
    }

    public boolean ssubscribe(Client c, String channel) {
        return add(shardChannels, c.shardChannels(), c, channel);
    }

    public boolean sunsubscribe(Client c, String channel) {
        return remove(shardChannels, c.shardChannels(), c, channel);
    }

    public boolean subscribe(Client c, String channel) {
        return add(channels, c.channels(), c, channel);
    }

    public boolean unsubscribe(Client c, String channel) {
        return remove(channels, c.channels(), c, channel);
    }

    public boolean psubscribe(Client c, String pattern) {
        return add(patterns, c.patterns(), c, pattern);
    }

    public boolean punsubscribe(Client c, String pattern) {
        return remove(patterns, c.patterns(), c, pattern);
    }

    /** Records a subscription in the client's set and in the server's index; false if it existed. */
    private static boolean add(Map<String, Set<Client>> index, Set<String> mine, Client c, String name) {
        if (!mine.add(name)) {
            return false;
        }
        index.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(c);
        return true;
    }

    /** Removes a subscription from both places, dropping names nobody subscribes to any more. */
    private static boolean remove(Map<String, Set<Client>> index, Set<String> mine, Client c, String name) {
        if (!mine.remove(name)) {
            return false;
        }
        Set<Client> subs = index.get(name);
        subs.remove(c);
        if (subs.isEmpty()) {
            index.remove(name);
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
        for (String ch : new ArrayList<>(c.shardChannels())) {
            sunsubscribe(c, ch);
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

    /** SPUBLISH: delivers {@code smessage} to the shard channel's subscribers; returns their number. */
    public int spublish(byte[] channel, byte[] message) {
        Set<Client> subs = shardChannels.get(name(channel));
        if (subs == null) {
            return 0;
        }
        for (Client s : subs.toArray(new Client[0])) {
            s.push(w -> {
                w.push(3);
                w.bulk("smessage");
                w.bulk(channel);
                w.bulk(message);
            });
        }
        return subs.size();
    }

    /** Active channels, optionally matching a pattern (PUBSUB CHANNELS). */
    public List<String> activeChannels(byte[] pattern) {
        return active(channels, pattern);
    }

    /** Active shard channels, optionally matching a pattern (PUBSUB SHARDCHANNELS). */
    public List<String> activeShardChannels(byte[] pattern) {
        return active(shardChannels, pattern);
    }

    private static List<String> active(Map<String, Set<Client>> index, byte[] pattern) {
        List<String> out = new ArrayList<>();
        for (String ch : index.keySet()) {
            if (pattern == null || Glob.match(pattern, bytes(ch), false)) {
                out.add(ch);
            }
        }
        return out;
    }

    public int subscribers(String channel) {
        Set<Client> subs = channels.get(channel);
        return subs == null ? 0 : subs.size();
    }

    public int shardSubscribers(String channel) {
        Set<Client> subs = shardChannels.get(channel);
        return subs == null ? 0 : subs.size();
    }
}
