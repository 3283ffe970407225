package dev.quokka.keyspace;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A consumer group of a stream (Redis's {@code streamCG}): the last id delivered, the logical
 * read counter ({@code entries-read}, -1 when unknown), the pending entries list (PEL) ordered
 * by id, and the consumers by name in byte order, each with the part of the PEL it owns. A
 * pending entry is one object held by both the group's and its consumer's PEL, as Redis's NACK.
 */
public final class StreamGroup {
    /** {@code entries-read} when it cannot be known (Redis's SCG_INVALID_ENTRIES_READ). */
    public static final long UNKNOWN = -1;

    /** One delivered, unacknowledged entry: its owner, last delivery time and delivery count. */
    public static final class Pending {
        public final StreamId id;
        Consumer consumer;
        public long deliveryTime;
        public long deliveryCount;

        Pending(StreamId id, Consumer consumer, long deliveryTime, long deliveryCount) {
            this.id = id;
            this.consumer = consumer;
            this.deliveryTime = deliveryTime;
            this.deliveryCount = deliveryCount;
        }

        public Consumer consumer() {
            return consumer;
        }
    }

    /** A consumer: its name, when it was last seen, and the pending entries it owns. */
    public static final class Consumer {
        public final byte[] name;
        public long seenTime;
        final TreeMap<StreamId, Pending> pel = new TreeMap<>();

        Consumer(byte[] name, long seenTime) {
            this.name = name;
            this.seenTime = seenTime;
        }

        public TreeMap<StreamId, Pending> pel() {
            return pel;
        }
    }

    /** A map entry of a {@link TreeMap}: header, key, value, three links and its colour. */
    private static final long TREE_ENTRY = MemoryModel.align(MemoryModel.OBJECT_HEADER + 5L * MemoryModel.REF + 1);
    private static final long ID = MemoryModel.align(MemoryModel.OBJECT_HEADER + 16L);
    /** A pending entry: its object, its id and its place in the group's and the consumer's PEL. */
    static final long PENDING = MemoryModel.align(MemoryModel.OBJECT_HEADER + 2L * MemoryModel.REF + 16) + ID
        + 2 * TREE_ENTRY;
    private static final long TREE = MemoryModel.align(MemoryModel.OBJECT_HEADER + 3L * MemoryModel.REF + 8);
    private static final long CONSUMER = MemoryModel.align(MemoryModel.OBJECT_HEADER + 2L * MemoryModel.REF + 8) + TREE
        + TREE_ENTRY;
    private static final long GROUP = MemoryModel.align(MemoryModel.OBJECT_HEADER + 3L * MemoryModel.REF + 8 + 8)
        + 2 * TREE + TREE_ENTRY;

    public StreamId lastId;
    public long entriesRead;
    final TreeMap<StreamId, Pending> pel = new TreeMap<>();
    final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);
    /** Bytes of the consumers (objects and names); the pending entries are counted from the PEL's size. */
    private long consumerBytes;

    public StreamGroup(StreamId lastId, long entriesRead) {
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    /** Estimated heap bytes of the group without its name ({@link MemoryModel}). */
    long bytes() {
        return GROUP + consumerBytes + (long) pel.size() * PENDING;
    }

    public TreeMap<StreamId, Pending> pel() {
        return pel;
    }

    public TreeMap<byte[], Consumer> consumers() {
        return consumers;
    }

    /** The consumer named so, or null; a found consumer's seen-time becomes {@code now} unless {@code now} is negative. */
    public Consumer consumer(byte[] name, long now) {
        Consumer c = consumers.get(name);
        if (c != null && now >= 0) {
            c.seenTime = now;
        }
        return c;
    }

    /** Creates a consumer; null when one has that name. */
    public Consumer createConsumer(byte[] name, long now) {
        if (consumers.containsKey(name)) {
            return null;
        }
        Consumer c = new Consumer(name, now);
        consumers.put(name, c);
        consumerBytes += CONSUMER + MemoryModel.byteArray(name.length);
        return c;
    }

    /** Deletes a consumer and its pending entries; returns how many it had. */
    public int deleteConsumer(Consumer c) {
        int n = c.pel.size();
        for (StreamId id : c.pel.keySet()) {
            pel.remove(id);
        }
        consumers.remove(c.name);
        consumerBytes -= CONSUMER + MemoryModel.byteArray(c.name.length);
        return n;
    }

    /**
     * Records a delivery of {@code id} to {@code to} (XREADGROUP): a new pending entry, or an
     * existing one given to this consumer with its delivery time reset and its count back to 1.
     */
    public Pending deliver(StreamId id, Consumer to, long now) {
        Pending p = pel.get(id);
        if (p == null) {
            p = new Pending(id, to, now, 1);
            pel.put(id, p);
            to.pel.put(id, p);
            return p;
        }
        p.consumer.pel.remove(id);
        p.consumer = to;
        p.deliveryTime = now;
        p.deliveryCount = 1;
        to.pel.put(id, p);
        return p;
    }

    /** XCLAIM FORCE: a pending entry with no owner yet, to be given one by {@link #assign}. */
    public Pending createUnowned(StreamId id) {
        Pending p = new Pending(id, null, 0, 0);
        pel.put(id, p);
        return p;
    }

    /** Gives a pending entry to {@code to} (XCLAIM, XAUTOCLAIM). */
    public void assign(Pending p, Consumer to) {
        if (p.consumer == to) {
            return;
        }
        if (p.consumer != null) {
            p.consumer.pel.remove(p.id);
        }
        p.consumer = to;
        to.pel.put(p.id, p);
    }

    /** Acknowledges (or drops) a pending entry; false when there is none for {@code id}. */
    public boolean ack(StreamId id) {
        Pending p = pel.remove(id);
        if (p == null) {
            return false;
        }
        if (p.consumer != null) {
            p.consumer.pel.remove(id);
        }
        return true;
    }

    /** Removes a pending entry the caller took out of the group's PEL from its consumer's. */
    public void disown(Pending p) {
        if (p.consumer != null) {
            p.consumer.pel.remove(p.id);
        }
    }

    /** A copy sharing nothing mutable with this group (ids and names are immutable). */
    StreamGroup copy() {
        StreamGroup g = new StreamGroup(lastId, entriesRead);
        g.consumerBytes = consumerBytes;
        for (Map.Entry<byte[], Consumer> e : consumers.entrySet()) {
            Consumer c = new Consumer(e.getKey(), e.getValue().seenTime);
            g.consumers.put(e.getKey(), c);
        }
        for (Pending p : pel.values()) {
            Consumer owner = p.consumer == null ? null : g.consumers.get(p.consumer.name);
            Pending q = new Pending(p.id, owner, p.deliveryTime, p.deliveryCount);
            g.pel.put(p.id, q);
            if (owner != null) {
                owner.pel.put(p.id, q);
            }
        }
        return g;
    }
}
