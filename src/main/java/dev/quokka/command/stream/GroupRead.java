package dev.quokka.command.stream;

import dev.quokka.command.CommandContext;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.keyspace.StreamGroup;
import dev.quokka.keyspace.StreamId;
import dev.quokka.keyspace.StreamValue;
import dev.quokka.persistence.Effects;

import java.util.ArrayList;
import java.util.List;

/**
 * One stream's part of an XREADGROUP: new entries delivered to a consumer (each recorded in the
 * group's and the consumer's pending lists unless NOACK, the group's last id and read counter
 * moved on), or the consumer's own history. Its effects are recorded as Redis propagates them:
 * an XCLAIM per delivery, XGROUP SETID after a NOACK read, XGROUP CREATECONSUMER for a consumer a
 * NOACK read created.
 */
final class GroupRead {
    private final CommandContext c;
    private final byte[] key;
    private final StreamValue stream;
    private final byte[] groupName;
    private final StreamGroup group;
    private final boolean noack;
    private StreamGroup.Consumer consumer;

    GroupRead(CommandContext c, byte[] key, StreamValue stream, byte[] groupName, StreamGroup group, boolean noack) {
        this.c = c;
        this.key = key;
        this.stream = stream;
        this.groupName = groupName;
        this.group = group;
        this.noack = noack;
    }

    /** Finds the consumer (its seen-time refreshed) or creates it. */
    void consumer(byte[] name) {
        long now = c.keyspace().now();
        consumer = group.consumer(name, now);
        if (consumer == null) {
            consumer = createConsumer(c, key, group, name);
            if (noack) {
                c.alsoPropagate(Effects.XGROUP, Effects.CREATECONSUMER, key, groupName, name);
            }
        }
    }

    /** streamCreateConsumer: a new consumer, its event and a change. */
    static StreamGroup.Consumer createConsumer(CommandContext c, byte[] key, StreamGroup group, byte[] name) {
        StreamGroup.Consumer created = group.createConsumer(name, c.keyspace().now());
        if (created != null) {
            c.keyspace().notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", key, c.db().id());
        }
        return created;
    }

    /** Entries from {@code start} on, at most {@code count} (0: all), delivered to the consumer. */
    void deliver(StreamId start, long count) {
        int n = (int) stream.count(start, StreamId.MAX, count);
        c.reply.array(n);
        StreamValue.Cursor cur = stream.cursor(start, StreamId.MAX, false);
        long now = c.keyspace().now();
        boolean propagateLastId = false;
        for (int k = 0; k < n && cur.next(); k++) {
            StreamId id = cur.id();
            if (id.compareTo(group.lastId) > 0) {
                if (group.entriesRead != StreamGroup.UNKNOWN && !stream.tombstonesFrom(id)) {
                    group.entriesRead++;
                } else if (stream.entriesAdded() != 0) {
                    group.entriesRead = stream.readCounter(id);
                }
                group.lastId = id;
                propagateLastId = noack;
            }
            StreamCommands.writeEntry(c.reply, cur);
            if (!noack) {
                StreamGroup.Pending p = group.deliver(id, consumer, now);
                if (c.propagating()) {
                    propagateClaim(c, key, groupName, group, id.bytes(), p);
                }
            }
        }
        if (propagateLastId) {
            propagateGroupId(c, key, groupName, group);
        }
    }

    /** The consumer's pending entries from {@code start} on, at most {@code count} (0: all); deleted ones with a null body. */
    void history(StreamId start, long count) {
        List<StreamGroup.Pending> pending = new ArrayList<>();
        for (StreamGroup.Pending p : consumer.pel().tailMap(start, true).values()) {
            if (count != 0 && pending.size() >= count) {
                break;
            }
            pending.add(p);
        }
        c.reply.array(pending.size());
        long now = c.keyspace().now();
        for (StreamGroup.Pending p : pending) {
            StreamValue.Cursor cur = stream.cursor(p.id, p.id, false);
            if (cur.next()) {
                StreamCommands.writeEntry(c.reply, cur);
                p.deliveryTime = now;
                p.deliveryCount++;
            } else {
                c.reply.array(2);
                c.reply.bulk(p.id.bytes());
                c.reply.nullArray();
            }
        }
    }

    /** An XREADGROUP delivery, or a claim, as Redis propagates it ({@link Effects#xclaim}). */
    static void propagateClaim(CommandContext c, byte[] key, byte[] groupName, StreamGroup group, byte[] id,
                               StreamGroup.Pending p) {
        if (c.propagating()) {
            c.alsoPropagate(Effects.xclaim(key, groupName, p.consumer().name, id, p.deliveryTime, p.deliveryCount,
                group.lastId.bytes()));
        }
    }

    /** A group's new last id after a NOACK read or a claim with LASTID ({@link Effects#xgroupSetId}). */
    static void propagateGroupId(CommandContext c, byte[] key, byte[] groupName, StreamGroup group) {
        c.alsoPropagate(Effects.xgroupSetId(key, groupName, group.lastId.bytes(), group.entriesRead));
    }
}
