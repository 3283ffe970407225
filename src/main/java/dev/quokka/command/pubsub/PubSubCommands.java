package dev.quokka.command.pubsub;

import dev.quokka.command.CommandContext;
import dev.quokka.command.Errors;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.command.keys.ObjectCommands;
import dev.quokka.session.Client;
import dev.quokka.session.PubSub;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

import static dev.quokka.command.ArgumentDoc.arg;

/**
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, the sharded SSUBSCRIBE, SUNSUBSCRIBE
 * and SPUBLISH, and PUBSUB. Subscription
 * confirmations and messages are push replies: {@code >} in RESP3, arrays in RESP2, and they
 * are delivered even under CLIENT REPLY OFF, as in Redis 7.
 */
public final class PubSubCommands {
    private PubSubCommands() {
    }

    /** Declares this family's commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("subscribe", -2, PubSubCommands::subscribe).flags(Flag.PUBSUB, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("pubsub", "2.0.0", "Listen for messages published to the given channels")
            .complexity("O(N) where N is the number of channels to subscribe to.")
            .args(arg("channel", "string").multiple());
        t.add("unsubscribe", -1, PubSubCommands::unsubscribe).flags(Flag.PUBSUB, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("pubsub", "2.0.0", "Stop listening for messages posted to the given channels")
            .complexity("O(N) where N is the number of clients already subscribed to a channel.")
            .args(arg("channel", "string").optional().multiple());
        t.add("psubscribe", -2, PubSubCommands::psubscribe).flags(Flag.PUBSUB, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("pubsub", "2.0.0", "Listen for messages published to channels matching the given patterns")
            .complexity("O(N) where N is the number of patterns the client is already subscribed to.")
            .args(arg("pattern", "block").multiple().of(
                    arg("pattern", "pattern")));
        t.add("punsubscribe", -1, PubSubCommands::punsubscribe).flags(Flag.PUBSUB, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("pubsub", "2.0.0", "Stop listening for messages posted to channels matching the given patterns")
            .complexity("O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).")
            .args(arg("pattern", "pattern").optional().multiple());
        t.add("publish", 3, PubSubCommands::publish).flags(Flag.PUBSUB, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.MAY_REPLICATE)
            .doc("pubsub", "2.0.0", "Post a message to a channel")
            .complexity("O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).")
            .args(arg("channel", "string"),
                arg("message", "string"));
        t.add("ssubscribe", -2, PubSubCommands::ssubscribe).flags(Flag.PUBSUB, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .keys(1, -1, 1)
            .doc("pubsub", "7.0.0", "Listen for messages published to the given shard channels")
            .complexity("O(N) where N is the number of shard channels to subscribe to.")
            .keySpec("not_key", KeySpec.index(1), KeySpec.range(-1, 1, 0))
            .args(arg("shardchannel", "string").multiple());
        t.add("sunsubscribe", -1, PubSubCommands::sunsubscribe).flags(Flag.PUBSUB, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .keys(1, -1, 1)
            .doc("pubsub", "7.0.0", "Stop listening for messages posted to the given shard channels")
            .complexity("O(N) where N is the number of clients already subscribed to a shard channel.")
            .keySpec("not_key", KeySpec.index(1), KeySpec.range(-1, 1, 0))
            .args(arg("shardchannel", "string").optional().multiple());
        t.add("spublish", 3, PubSubCommands::spublish).flags(Flag.PUBSUB, Flag.LOADING, Flag.STALE, Flag.FAST, Flag.MAY_REPLICATE).keys(1, 1, 1)
            .doc("pubsub", "7.0.0", "Post a message to a shard channel")
            .complexity("O(N) where N is the number of clients subscribed to the receiving shard channel.")
            .keySpec("not_key", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("shardchannel", "string"),
                arg("message", "string"));
        CommandSpec pubsub = t.add("pubsub", -2, null).doc("pubsub", "2.8.0", "A container for Pub/Sub commands")
            .complexity("Depends on subcommand.");
        pubsub.sub("numpat", 2, PubSubCommands::numpat).flags(Flag.PUBSUB, Flag.LOADING, Flag.STALE)
            .doc("pubsub", "2.8.0", "Get the count of unique patterns pattern subscriptions").complexity("O(1)");
        pubsub.sub("channels", -2, PubSubCommands::channels).flags(Flag.PUBSUB, Flag.LOADING, Flag.STALE)
            .doc("pubsub", "2.8.0", "List active channels")
            .complexity("O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)")
            .args(arg("pattern", "pattern").optional());
        pubsub.sub("numsub", -2, PubSubCommands::numsub).flags(Flag.PUBSUB, Flag.LOADING, Flag.STALE)
            .doc("pubsub", "2.8.0", "Get the count of subscribers for channels")
            .complexity("O(N) for the NUMSUB subcommand, where N is the number of requested channels")
            .args(arg("channel", "string").optional().multiple());
        pubsub.sub("shardchannels", -2, PubSubCommands::shardchannels).flags(Flag.PUBSUB, Flag.LOADING, Flag.STALE)
            .doc("pubsub", "7.0.0", "List active shard channels")
            .complexity("O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).")
            .args(arg("pattern", "pattern").optional());
        pubsub.sub("shardnumsub", -2, PubSubCommands::shardnumsub).flags(Flag.PUBSUB, Flag.LOADING, Flag.STALE)
            .doc("pubsub", "7.0.0", "Get the count of subscribers for shard channels")
            .complexity("O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels")
            .args(arg("shardchannel", "string").optional().multiple());
        pubsub.sub("help", 2, PubSubCommands::help).flags(Flag.LOADING, Flag.STALE)
            .doc("pubsub", "6.2.0", "Show helpful text about the different subcommands").complexity("O(1)");
    }

    /** A (un)subscription confirmation; its count is the client's channels and patterns, or for the shard kinds its shard channels. */
    private static void confirm(CommandContext c, String kind, byte[] name) {
        int count = kind.equals("ssubscribe") || kind.equals("sunsubscribe")
            ? c.client.shardChannels().size() : c.client.channels().size() + c.client.patterns().size();
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

    /** SSUBSCRIBE shardchannel [shardchannel ...]: refused inside EXEC (Redis's deny-blocking rule, which SUBSCRIBE escapes). */
    public static void ssubscribe(CommandContext c) {
        if (c.client.denyBlocking()) {
            c.reply.error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
            return;
        }
        for (int i = 1; i < c.argc; i++) {
            c.server.pubsub().ssubscribe(c.client, PubSub.name(c.argv[i]));
            confirm(c, "ssubscribe", c.argv[i]);
        }
    }

    /** SUNSUBSCRIBE [shardchannel ...] */
    public static void sunsubscribe(CommandContext c) {
        unsubscribeGeneric(c, "sunsubscribe", c.client.shardChannels(), c.server.pubsub()::sunsubscribe);
    }

    /** SPUBLISH shardchannel message */
    public static void spublish(CommandContext c) {
        c.reply.integer(c.server.pubsub().spublish(c.argv[1], c.argv[2]));
    }

    /** PUBSUB SHARDCHANNELS [pattern] */
    public static void shardchannels(CommandContext c) {
        listChannels(c, true);
    }

    /** PUBSUB SHARDNUMSUB [shardchannel ...] */
    public static void shardnumsub(CommandContext c) {
        countSubscribers(c, true);
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
    private static void unsubscribeGeneric(CommandContext c, String kind, Set<String> mine,
                                           BiPredicate<Client, String> remover) {
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
        listChannels(c, false);
    }

    /** PUBSUB CHANNELS and SHARDCHANNELS: the active (shard) channels matching the optional pattern. */
    private static void listChannels(CommandContext c, boolean shard) {
        if (c.argc > 3) {
            unknownSubcommand(c);
            return;
        }
        byte[] pattern = c.argc == 3 ? c.argv[2] : null;
        List<String> list = shard ? c.server.pubsub().activeShardChannels(pattern) : c.server.pubsub().activeChannels(pattern);
        c.reply.array(list.size());
        for (String ch : list) {
            c.reply.bulk(PubSub.bytes(ch));
        }
    }

    /** PUBSUB NUMSUB [channel ...]: a flat array of pairs, in RESP3 too (as Redis 7.0). */
    public static void numsub(CommandContext c) {
        countSubscribers(c, false);
    }

    private static void countSubscribers(CommandContext c, boolean shard) {
        c.reply.array((c.argc - 2) * 2);
        for (int i = 2; i < c.argc; i++) {
            c.reply.bulk(c.argv[i]);
            String name = PubSub.name(c.argv[i]);
            c.reply.integer(shard ? c.server.pubsub().shardSubscribers(name) : c.server.pubsub().subscribers(name));
        }
    }

    /** Redis's answer to PUBSUB CHANNELS and SHARDCHANNELS with more than one pattern. */
    private static void unknownSubcommand(CommandContext c) {
        c.reply.error(Errors.subcommandSyntax(c));
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
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
        });
    }
}
