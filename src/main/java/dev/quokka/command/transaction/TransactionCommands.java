package dev.quokka.command.transaction;

import dev.quokka.server.Client;

/**
 * MULTI, DISCARD, WATCH and UNWATCH (Redis's {@code multi.c}); EXEC is the dispatcher's, which
 * runs the queue. Queuing itself happens in the dispatcher, after a command's checks.
 */
public final class TransactionCommands {
    private TransactionCommands() {
    }

    /** MULTI */
    public static void multi(Client c) {
        if (c.inMulti()) {
            c.reply.error("ERR MULTI calls can not be nested");
            return;
        }
        c.multi();
        c.reply.ok();
    }

    /** DISCARD */
    public static void discard(Client c) {
        if (!c.inMulti()) {
            c.reply.error("ERR DISCARD without MULTI");
            return;
        }
        c.endMulti();
        c.reply.ok();
    }

    /** WATCH key [key ...] */
    public static void watch(Client c) {
        if (c.inMulti()) {
            c.reply.error("ERR WATCH inside MULTI is not allowed");
            return;
        }
        for (int i = 1; i < c.argc; i++) {
            c.server.transactions().watch(c, c.db().id(), c.argv[i]);
        }
        c.reply.ok();
    }

    /** UNWATCH */
    public static void unwatch(Client c) {
        c.server.transactions().unwatchAll(c);
        c.reply.ok();
    }
}
