package dev.quokka.command.transaction;

import dev.quokka.command.CommandContext;

/**
 * MULTI, DISCARD, WATCH and UNWATCH (Redis's {@code multi.c}); EXEC is the dispatcher's, which
 * runs the queue. Queuing itself happens in the dispatcher, after a command's checks.
 */
public final class TransactionCommands {
    private TransactionCommands() {
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
