package dev.quokka.command.transaction;

import dev.quokka.command.Acl;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;

import static dev.quokka.command.ArgumentDoc.arg;

/**
 * MULTI, DISCARD, WATCH and UNWATCH (Redis's {@code multi.c}); EXEC is the dispatcher's, which
 * runs the queue. Queuing itself happens in the dispatcher, after a command's checks.
 */
public final class TransactionCommands {
    private TransactionCommands() {
    }

    /** Declares this family's commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("multi", 1, TransactionCommands::multi).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.ALLOW_BUSY).acl(Acl.TRANSACTION)
            .doc("transactions", "1.2.0", "Mark the start of a transaction block").complexity("O(1)");
        t.add("exec", 1, c -> c.server.dispatcher().exec(c)).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.SKIP_SLOWLOG).acl(Acl.TRANSACTION)
            .doc("transactions", "1.2.0", "Execute all commands issued after MULTI")
            .complexity("Depends on commands in the transaction");
        t.add("discard", 1, TransactionCommands::discard).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.ALLOW_BUSY).acl(Acl.TRANSACTION)
            .doc("transactions", "2.0.0", "Discard all commands issued after MULTI").complexity("O(N), when N is the number of queued commands");
        t.add("watch", -2, TransactionCommands::watch).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.ALLOW_BUSY).keys(1, -1, 1)
            .acl(Acl.TRANSACTION).doc("transactions", "2.2.0", "Watch the given keys to determine execution of the MULTI/EXEC block")
            .complexity("O(1) for every key.")
            .keySpec("RO", KeySpec.index(1), KeySpec.range(-1, 1, 0))
            .args(arg("key", "key").keySpec(0).multiple());
        t.add("unwatch", 1, TransactionCommands::unwatch).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.ALLOW_BUSY).acl(Acl.TRANSACTION)
            .doc("transactions", "2.2.0", "Forget about all watched keys").complexity("O(1)");
    }

    /** MULTI */
    public static void multi(CommandContext c) {
        if (c.client.inMulti()) {
            c.reply.error("ERR MULTI calls can not be nested");
            return;
        }
        c.client.multi();
        c.reply.ok();
    }

    /** DISCARD */
    public static void discard(CommandContext c) {
        if (!c.client.inMulti()) {
            c.reply.error("ERR DISCARD without MULTI");
            return;
        }
        c.client.endMulti();
        c.reply.ok();
    }

    /** WATCH key [key ...] */
    public static void watch(CommandContext c) {
        if (c.client.inMulti()) {
            c.reply.error("ERR WATCH inside MULTI is not allowed");
            return;
        }
        for (int i = 1; i < c.argc; i++) {
            c.server.transactions().watch(c.client, c.db().id(), c.argv[i]);
        }
        c.reply.ok();
    }

    /** UNWATCH */
    public static void unwatch(CommandContext c) {
        c.server.transactions().unwatchAll(c.client);
        c.reply.ok();
    }
}
