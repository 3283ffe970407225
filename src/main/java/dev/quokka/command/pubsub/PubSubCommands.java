package dev.quokka.command.pubsub;

import dev.quokka.command.CommandContext;
import dev.quokka.command.keys.ObjectCommands;
import dev.quokka.session.Client;
import dev.quokka.session.PubSub;

import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH and PUBSUB. Subscription
 * confirmations and messages are push replies: {@code >} in RESP3, arrays in RESP2, and they
 * are delivered even under CLIENT REPLY OFF, as in Redis 7.
 */
public final class PubSubCommands {
    private PubSubCommands() {
    }

    private static void confirm(CommandContext c, String kind, byte[] name) {
        int count = c.client.channels().size() + c.client.patterns().size();
        c.client.push(w -> {
            w.push(3);
            w.bulk(kind);
            if (name == null) {
                w.nullBulk();
            } else {
                w.bulk(name);
            }
            w.integer(count);
        });
    }

    /** SUBSCRIBE channel [channel ...] */
    public static void subscribe(CommandContext c) {
        for (int i = 1; i < c.argc; i++) {
            c.server.pubsub().subscribe(c.client, PubSub.name(c.argv[i]));
            confirm(c, "subscribe", c.argv[i]);
        }
    }

    /** PSUBSCRIBE pattern [pattern ...] */
    public static void psubscribe(CommandContext c) {
        for (int i = 1; i < c.argc; i++) {
            c.server.pubsub().psubscribe(c.client, PubSub.name(c.argv[i]));
            confirm(c, "psubscribe", c.argv[i]);
        }
    }

    /** UNSUBSCRIBE [channel ...]: without arguments, from every channel (one nil reply if none). */
    public static void unsubscribe(CommandContext c) {
        unsubscribeGeneric(c, "unsubscribe", c.client.channels(), c.server.pubsub()::unsubscribe);
    }

    /** PUNSUBSCRIBE [pattern ...] */
    public static void punsubscribe(CommandContext c) {
        unsubscribeGeneric(c, "punsubscribe", c.client.patterns(), c.server.pubsub()::punsubscribe);
    }

    /** The core of (P)UNSUBSCRIBE: the named subscriptions, or all of {@code mine} when none is named. */
    private static void unsubscribeGeneric(CommandContext c, String kind, java.util.Set<String> mine,
                                           java.util.function.BiPredicate<Client, String> remover) {
        List<String> names = new ArrayList<>();
        if (c.argc == 1) {
            names.addAll(mine);
            if (names.isEmpty()) {
                confirm(c, kind, null);
                return;
            }
        } else {
            for (int i = 1; i < c.argc; i++) {
                names.add(PubSub.name(c.argv[i]));
            }
        }
        for (String name : names) {
            remover.test(c.client, name);
            confirm(c, kind, PubSub.bytes(name));
        }
    }

    /** PUBLISH channel message */
    public static void publish(CommandContext c) {
        c.reply.integer(c.server.pubsub().publish(c.argv[1], c.argv[2]));
    }

    /** PUBSUB CHANNELS [pattern] */
    public static void channels(CommandContext c) {
        List<String> list = c.server.pubsub().activeChannels(c.argc == 3 ? c.argv[2] : null);
        c.reply.array(list.size());
        for (String ch : list) {
            c.reply.bulk(PubSub.bytes(ch));
        }
    }

    /** PUBSUB NUMSUB [channel ...]: a flat array of pairs, in RESP3 too (as Redis 7.0). */
    public static void numsub(CommandContext c) {
        c.reply.array((c.argc - 2) * 2);
        for (int i = 2; i < c.argc; i++) {
            c.reply.bulk(c.argv[i]);
            c.reply.integer(c.server.pubsub().subscribers(PubSub.name(c.argv[i])));
        }
    }

    /** PUBSUB NUMPAT */
    public static void numpat(CommandContext c) {
        c.reply.integer(c.server.pubsub().patternCount());
    }

    /** PUBSUB HELP */
    public static void help(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
        });
    }
}
