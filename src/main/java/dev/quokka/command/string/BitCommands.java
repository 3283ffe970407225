package dev.quokka.command.string;

import dev.quokka.command.Acl;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandError;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.config.Settings;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.protocol.Numbers;

import java.util.Arrays;

import static dev.quokka.command.ArgumentDoc.arg;

/** SETBIT and GETBIT (Redis's {@code bitops.c}); bit 0 is the most significant bit of byte 0. */
public final class BitCommands {
    private BitCommands() {
    }

    /** Declares this family's commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("setbit", 4, BitCommands::setbit).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl(Acl.BITMAP)
            .doc("bitmap", "2.2.0", "Sets or clears the bit at offset in the string value stored at key")
            .complexity("O(1)")
            .keySpec("RW access update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("offset", "integer"),
                arg("value", "integer"));
        t.add("getbit", 3, BitCommands::getbit).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.BITMAP)
            .doc("bitmap", "2.2.0", "Returns the bit value at offset in the string value stored at key").complexity("O(1)")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("offset", "integer"));
    }

    /** Redis's {@code getBitOffsetFromArgument}. */
    private static long bitOffset(CommandContext c, int i) {
        long v = Numbers.parseLong(c.argv[i]);
        long max = c.server.config().get(Settings.PROTO_MAX_BULK_LEN) * 8;
        if ((v == Numbers.INVALID && !Numbers.isLong(c.argv[i])) || v < 0 || v >= max || v >= (long) Integer.MAX_VALUE * 8 - 128) {
            throw new CommandError("ERR bit offset is not an integer or out of range");
        }
        return v;
    }

    /** SETBIT key offset value: returns the bit's previous value. */
    public static void setbit(CommandContext c) {
        long offset = bitOffset(c, 2);
        byte[] a = c.argv[3];
        if (a.length != 1 || (a[0] != '0' && a[0] != '1')) {
            c.reply.error("ERR bit is not an integer or out of range");
            return;
        }
        int on = a[0] - '0';
        int byteIndex = (int) (offset >> 3);
        int mask = 1 << (7 - (int) (offset & 7));
        Keyspace ks = c.keyspace();
        Entry e = ks.write(c.db(), c.argv[1]);
        byte[] v;
        if (e == null) {
            v = new byte[byteIndex + 1];
        } else {
            byte[] old = StringCommands.asString(c, e);
            if (old == null) {
                return;
            }
            v = Arrays.copyOf(old, Math.max(old.length, byteIndex + 1));
        }
        int previous = (v[byteIndex] & mask) != 0 ? 1 : 0;
        if (on == 1) {
            v[byteIndex] |= (byte) mask;
        } else {
            v[byteIndex] &= (byte) ~mask;
        }
        if (e == null) {
            ks.add(c.db(), c.argv[1], v);
        } else {
            c.db().setValue(e, v);
        }
        ks.notify(KeyspaceEvents.STRING, "setbit", c.argv[1], c.db().id());
        c.reply.integer(previous);
    }

    /** GETBIT key offset */
    public static void getbit(CommandContext c) {
        long offset = bitOffset(c, 2);
        Entry e = c.keyspace().read(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.integer(0);
            return;
        }
        byte[] v = StringCommands.asString(c, e);
        if (v == null) {
            return;
        }
        int byteIndex = (int) (offset >> 3);
        if (byteIndex >= v.length) {
            c.reply.integer(0);
            return;
        }
        c.reply.integer((v[byteIndex] & (1 << (7 - (int) (offset & 7)))) != 0 ? 1 : 0);
    }
}
