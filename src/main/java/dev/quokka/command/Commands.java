package dev.quokka.command;

import dev.quokka.command.connection.ClientCommands;
import dev.quokka.command.connection.ConnectionCommands;
import dev.quokka.command.expire.ExpireCommands;
import dev.quokka.command.keys.KeyCommands;
import dev.quokka.command.keys.ObjectCommands;
import dev.quokka.command.pubsub.PubSubCommands;
import dev.quokka.command.server.CommandCommands;
import dev.quokka.command.server.ConfigCommands;
import dev.quokka.command.server.InfoCommand;
import dev.quokka.command.server.MemoryCommands;
import dev.quokka.command.server.ServerCommands;
import dev.quokka.command.string.BitCommands;
import dev.quokka.command.string.StringCommands;

/**
 * Every command Quokka serves, declared once with Redis 7.0's arity, flags, key positions and
 * ACL categories (ARCHITECTURE invariant 2). Registration is explicit: no classpath scanning.
 */
public final class Commands {
    private Commands() {
    }

    public static void registerAll(CommandTable t) {
        strings(t);
        bitmaps(t);
        keys(t);
        expire(t);
        connection(t);
        server(t);
        pubsub(t);
    }

    private static void pubsub(CommandTable t) {
        t.add("subscribe", -2, PubSubCommands::subscribe).flags("pubsub noscript loading stale").acl("@pubsub @slow")
            .doc("pubsub", "2.0.0", "Listens for messages published to channels.")
            .complexity("O(N) where N is the number of channels to subscribe to.").syntax("channel...");
        t.add("unsubscribe", -1, PubSubCommands::unsubscribe).flags("pubsub noscript loading stale").acl("@pubsub @slow")
            .doc("pubsub", "2.0.0", "Stops listening to messages posted to channels.")
            .complexity("O(N) where N is the number of clients already subscribed to a channel.").syntax("[channel...]");
        t.add("psubscribe", -2, PubSubCommands::psubscribe).flags("pubsub noscript loading stale").acl("@pubsub @slow")
            .doc("pubsub", "2.0.0", "Listens for messages published to channels that match one or more patterns.")
            .complexity("O(N) where N is the number of patterns to subscribe to.").syntax("pattern...");
        t.add("punsubscribe", -1, PubSubCommands::punsubscribe).flags("pubsub noscript loading stale").acl("@pubsub @slow")
            .doc("pubsub", "2.0.0", "Stops listening to messages published to channels that match one or more patterns.")
            .complexity("O(N) where N is the number of patterns to unsubscribe.").syntax("[pattern...]");
        t.add("publish", 3, PubSubCommands::publish).flags("pubsub loading stale fast may_replicate").acl("@pubsub @fast")
            .doc("pubsub", "2.0.0", "Posts a message to a channel.")
            .complexity("O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).")
            .syntax("channel message");
        CommandSpec pubsub = t.add("pubsub", -2, null).acl("@slow").doc("pubsub", "2.8.0", "A container for Pub/Sub commands.")
            .complexity("Depends on subcommand.");
        pubsub.sub("channels", -2, PubSubCommands::channels).flags("pubsub loading stale").acl("@pubsub @slow")
            .doc("pubsub", "2.8.0", "Returns the active channels.")
            .complexity("O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)")
            .syntax("[pattern]");
        pubsub.sub("numsub", -2, PubSubCommands::numsub).flags("pubsub loading stale").acl("@pubsub @slow")
            .doc("pubsub", "2.8.0", "Returns a count of subscribers to channels.")
            .complexity("O(N) for the NUMSUB subcommand, where N is the number of requested channels").syntax("[channel...]");
        pubsub.sub("numpat", 2, PubSubCommands::numpat).flags("pubsub loading stale").acl("@pubsub @slow")
            .doc("pubsub", "2.8.0", "Returns a count of unique pattern subscriptions.").complexity("O(1)");
        pubsub.sub("help", 2, PubSubCommands::help).flags("loading stale").acl("@slow")
            .doc("pubsub", "6.2.0", "Returns helpful text about the different subcommands.").complexity("O(1)");
    }

    private static void strings(CommandTable t) {
        t.add("get", 2, StringCommands::get).flags("readonly fast").keys(1, 1, 1).acl("@read @string @fast")
            .doc("string", "1.0.0", "Returns the string value of a key.").complexity("O(1)").syntax("key");
        t.add("set", -3, StringCommands::set).flags("write denyoom").keys(1, 1, 1).acl("@write @string @slow")
            .doc("string", "1.0.0", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.")
            .complexity("O(1)")
            .syntax("key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]");
        t.add("setnx", 3, StringCommands::setnx).flags("write denyoom fast").keys(1, 1, 1).acl("@write @string @fast")
            .doc("string", "1.0.0", "Set the string value of a key only when the key doesn't exist.").complexity("O(1)").syntax("key value");
        t.add("setex", 4, StringCommands::setex).flags("write denyoom").keys(1, 1, 1).acl("@write @string @slow")
            .doc("string", "2.0.0", "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.")
            .complexity("O(1)").syntax("key seconds value");
        t.add("psetex", 4, StringCommands::psetex).flags("write denyoom").keys(1, 1, 1).acl("@write @string @slow")
            .doc("string", "2.6.0", "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.")
            .complexity("O(1)").syntax("key milliseconds value");
        t.add("getset", 3, StringCommands::getset).flags("write denyoom fast").keys(1, 1, 1).acl("@write @string @fast")
            .doc("string", "1.0.0", "Returns the previous string value of a key after setting it to a new value.")
            .complexity("O(1)").syntax("key value");
        t.add("getdel", 2, StringCommands::getdel).flags("write fast").keys(1, 1, 1).acl("@write @string @fast")
            .doc("string", "6.2.0", "Returns the string value of a key after deleting the key.").complexity("O(1)").syntax("key");
        t.add("getex", -2, StringCommands::getex).flags("write fast").keys(1, 1, 1).acl("@write @string @fast")
            .doc("string", "6.2.0", "Returns the string value of a key after setting its expiration time.")
            .complexity("O(1)")
            .syntax("key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST]");
        t.add("mget", -2, StringCommands::mget).flags("readonly fast").keys(1, -1, 1).acl("@read @string @fast")
            .doc("string", "1.0.0", "Atomically returns the string values of one or more keys.")
            .complexity("O(N) where N is the number of keys to retrieve.").syntax("key...");
        t.add("mset", -3, StringCommands::mset).flags("write denyoom").keys(1, -1, 2).acl("@write @string @slow")
            .doc("string", "1.0.1", "Atomically creates or modifies the string values of one or more keys.")
            .complexity("O(N) where N is the number of keys to set.").syntax("(key value)...");
        t.add("msetnx", -3, StringCommands::msetnx).flags("write denyoom").keys(1, -1, 2).acl("@write @string @slow")
            .doc("string", "1.0.1", "Atomically modifies the string values of one or more keys only when all keys don't exist.")
            .complexity("O(N) where N is the number of keys to set.").syntax("(key value)...");
        t.add("append", 3, StringCommands::append).flags("write denyoom fast").keys(1, 1, 1).acl("@write @string @fast")
            .doc("string", "2.0.0", "Appends a string to the value of a key. Creates the key if it doesn't exist.")
            .complexity("O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.")
            .syntax("key value");
        t.add("strlen", 2, StringCommands::strlen).flags("readonly fast").keys(1, 1, 1).acl("@read @string @fast")
            .doc("string", "2.2.0", "Returns the length of a string value.").complexity("O(1)").syntax("key");
        t.add("getrange", 4, StringCommands::getrange).flags("readonly").keys(1, 1, 1).acl("@read @string @slow")
            .doc("string", "2.4.0", "Returns a substring of the string stored at a key.")
            .complexity("O(N) where N is the length of the returned string.").syntax("key start end");
        t.add("substr", 4, StringCommands::getrange).flags("readonly").keys(1, 1, 1).acl("@read @string @slow")
            .doc("string", "1.0.0", "Returns a substring from a string value.")
            .complexity("O(N) where N is the length of the returned string.").syntax("key start end");
        t.add("setrange", 4, StringCommands::setrange).flags("write denyoom").keys(1, 1, 1).acl("@write @string @slow")
            .doc("string", "2.2.0", "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.")
            .complexity("O(1), not counting the time taken to copy the new string in place.").syntax("key offset value");
        t.add("incr", 2, StringCommands::incr).flags("write denyoom fast").keys(1, 1, 1).acl("@write @string @fast")
            .doc("string", "1.0.0", "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.")
            .complexity("O(1)").syntax("key");
        t.add("decr", 2, StringCommands::decr).flags("write denyoom fast").keys(1, 1, 1).acl("@write @string @fast")
            .doc("string", "1.0.0", "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.")
            .complexity("O(1)").syntax("key");
        t.add("incrby", 3, StringCommands::incrby).flags("write denyoom fast").keys(1, 1, 1).acl("@write @string @fast")
            .doc("string", "1.0.0", "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.")
            .complexity("O(1)").syntax("key increment");
        t.add("decrby", 3, StringCommands::decrby).flags("write denyoom fast").keys(1, 1, 1).acl("@write @string @fast")
            .doc("string", "1.0.0", "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.")
            .complexity("O(1)").syntax("key decrement");
        t.add("incrbyfloat", 3, StringCommands::incrbyfloat).flags("write denyoom fast").keys(1, 1, 1).acl("@write @string @fast")
            .doc("string", "2.6.0", "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.")
            .complexity("O(1)").syntax("key increment:double");
        t.add("lcs", -3, StringCommands::lcs).flags("readonly").keys(1, 2, 1).acl("@read @string @slow")
            .doc("string", "7.0.0", "Finds the longest common substring.")
            .complexity("O(N*M) where N and M are the lengths of s1 and s2, respectively")
            .syntax("key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]");
    }

    private static void bitmaps(CommandTable t) {
        t.add("setbit", 4, BitCommands::setbit).flags("write denyoom").keys(1, 1, 1).acl("@write @bitmap @slow")
            .doc("bitmap", "2.2.0", "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.")
            .complexity("O(1)").syntax("key offset value");
        t.add("getbit", 3, BitCommands::getbit).flags("readonly fast").keys(1, 1, 1).acl("@read @bitmap @fast")
            .doc("bitmap", "2.2.0", "Returns a bit value by offset.").complexity("O(1)").syntax("key offset");
    }

    private static void keys(CommandTable t) {
        t.add("del", -2, KeyCommands::del).flags("write").keys(1, -1, 1).acl("@keyspace @write @slow")
            .doc("generic", "1.0.0", "Deletes one or more keys.")
            .complexity("O(N) where N is the number of keys that will be removed.").syntax("key...");
        t.add("unlink", -2, KeyCommands::del).flags("write fast").keys(1, -1, 1).acl("@keyspace @write @fast")
            .doc("generic", "4.0.0", "Asynchronously deletes one or more keys.")
            .complexity("O(1) for each key removed regardless of its size.").syntax("key...");
        t.add("exists", -2, KeyCommands::exists).flags("readonly fast").keys(1, -1, 1).acl("@keyspace @read @fast")
            .doc("generic", "1.0.0", "Determines whether one or more keys exist.")
            .complexity("O(N) where N is the number of keys to check.").syntax("key...");
        t.add("touch", -2, KeyCommands::touch).flags("readonly fast").keys(1, -1, 1).acl("@keyspace @read @fast")
            .doc("generic", "3.2.1", "Returns the number of existing keys out of those specified after updating the time they were last accessed.")
            .complexity("O(N) where N is the number of keys that will be touched.").syntax("key...");
        t.add("type", 2, KeyCommands::type).flags("readonly fast").keys(1, 1, 1).acl("@keyspace @read @fast")
            .doc("generic", "1.0.0", "Determines the type of value stored at a key.").complexity("O(1)").syntax("key");
        t.add("rename", 3, KeyCommands::rename).flags("write").keys(1, 2, 1).acl("@keyspace @write @slow")
            .doc("generic", "1.0.0", "Renames a key and overwrites the destination.").complexity("O(1)").syntax("key newkey");
        t.add("renamenx", 3, KeyCommands::renamenx).flags("write fast").keys(1, 2, 1).acl("@keyspace @write @fast")
            .doc("generic", "1.0.0", "Renames a key only when the target key name doesn't exist.").complexity("O(1)").syntax("key newkey");
        t.add("keys", 2, KeyCommands::keys).flags("readonly").acl("@keyspace @read @slow @dangerous")
            .doc("generic", "1.0.0", "Returns all key names that match a pattern.")
            .complexity("O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.")
            .syntax("pattern");
        t.add("scan", -2, KeyCommands::scan).flags("readonly").acl("@keyspace @read @slow")
            .doc("generic", "2.8.0", "Iterates over the key names in the database.")
            .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.")
            .syntax("cursor [MATCH pattern] [COUNT count] [TYPE type]");
        t.add("randomkey", 1, KeyCommands::randomkey).flags("readonly").acl("@keyspace @read @slow")
            .doc("generic", "1.0.0", "Returns a random key name from the database.").complexity("O(1)");
        t.add("dbsize", 1, KeyCommands::dbsize).flags("readonly fast").acl("@keyspace @read @fast")
            .doc("server", "1.0.0", "Returns the number of keys in the database.").complexity("O(1)");
        t.add("flushdb", -1, KeyCommands::flushdb).flags("write").acl("@keyspace @write @slow @dangerous")
            .doc("server", "1.0.0", "Remove all keys from the current database.")
            .complexity("O(N) where N is the number of keys in the selected database").syntax("[ASYNC|SYNC]");
        t.add("flushall", -1, KeyCommands::flushall).flags("write").acl("@keyspace @write @slow @dangerous")
            .doc("server", "1.0.0", "Removes all keys from all databases.")
            .complexity("O(N) where N is the total number of keys in all databases").syntax("[ASYNC|SYNC]");
        t.add("copy", -3, KeyCommands::copy).flags("write denyoom").keys(1, 2, 1).acl("@keyspace @write @slow")
            .doc("generic", "6.2.0", "Copies the value of a key to a new key.")
            .complexity("O(N) worst case for collections, where N is the number of nested items. O(1) for string values.")
            .syntax("source destination [DB destination-db] [REPLACE]");
        t.add("move", 3, KeyCommands::move).flags("write fast").keys(1, 1, 1).acl("@keyspace @write @fast")
            .doc("generic", "1.0.0", "Moves a key to another database.").complexity("O(1)").syntax("key db");
        t.add("swapdb", 3, KeyCommands::swapdb).flags("write fast").acl("@keyspace @write @fast @dangerous")
            .doc("server", "4.0.0", "Swaps two Redis databases.")
            .complexity("O(N) where N is the count of clients watching or blocking on keys from both databases.")
            .syntax("index1 index2");
        CommandSpec object = t.add("object", -2, null).acl("@slow").doc("generic", "2.2.3", "A container for object introspection commands.")
            .complexity("Depends on subcommand.");
        object.sub("encoding", 3, ObjectCommands::encoding).flags("readonly").keys(2, 2, 1).acl("@keyspace @read @slow")
            .doc("generic", "2.2.3", "Returns the internal encoding of a Redis object.").complexity("O(1)").syntax("key");
        object.sub("freq", 3, ObjectCommands::freq).flags("readonly").keys(2, 2, 1).acl("@keyspace @read @slow")
            .doc("generic", "4.0.0", "Returns the logarithmic access frequency counter of a Redis object.").complexity("O(1)").syntax("key");
        object.sub("idletime", 3, ObjectCommands::idletime).flags("readonly").keys(2, 2, 1).acl("@keyspace @read @slow")
            .doc("generic", "2.2.3", "Returns the time since the last access to a Redis object.").complexity("O(1)").syntax("key");
        object.sub("refcount", 3, ObjectCommands::refcount).flags("readonly").keys(2, 2, 1).acl("@keyspace @read @slow")
            .doc("generic", "2.2.3", "Returns the reference count of a value of a key.").complexity("O(1)").syntax("key");
        object.sub("help", 2, ObjectCommands::help).flags("loading stale").acl("@keyspace @slow")
            .doc("generic", "6.2.0", "Returns helpful text about the different subcommands.").complexity("O(1)");
    }

    private static void expire(CommandTable t) {
        String condition = " [NX|XX|GT|LT]";
        t.add("expire", -3, ExpireCommands::expire).flags("write fast").keys(1, 1, 1).acl("@keyspace @write @fast")
            .doc("generic", "1.0.0", "Sets the expiration time of a key in seconds.").complexity("O(1)").syntax("key seconds" + condition);
        t.add("pexpire", -3, ExpireCommands::pexpire).flags("write fast").keys(1, 1, 1).acl("@keyspace @write @fast")
            .doc("generic", "2.6.0", "Sets the expiration time of a key in milliseconds.").complexity("O(1)").syntax("key milliseconds" + condition);
        t.add("expireat", -3, ExpireCommands::expireat).flags("write fast").keys(1, 1, 1).acl("@keyspace @write @fast")
            .doc("generic", "1.2.0", "Sets the expiration time of a key to a Unix timestamp.").complexity("O(1)")
            .syntax("key unix-time-seconds" + condition);
        t.add("pexpireat", -3, ExpireCommands::pexpireat).flags("write fast").keys(1, 1, 1).acl("@keyspace @write @fast")
            .doc("generic", "2.6.0", "Sets the expiration time of a key to a Unix milliseconds timestamp.").complexity("O(1)")
            .syntax("key unix-time-milliseconds" + condition);
        t.add("ttl", 2, ExpireCommands::ttl).flags("readonly fast").keys(1, 1, 1).acl("@keyspace @read @fast")
            .doc("generic", "1.0.0", "Returns the expiration time in seconds of a key.").complexity("O(1)").syntax("key");
        t.add("pttl", 2, ExpireCommands::pttl).flags("readonly fast").keys(1, 1, 1).acl("@keyspace @read @fast")
            .doc("generic", "2.6.0", "Returns the expiration time in milliseconds of a key.").complexity("O(1)").syntax("key");
        t.add("expiretime", 2, ExpireCommands::expiretime).flags("readonly fast").keys(1, 1, 1).acl("@keyspace @read @fast")
            .doc("generic", "7.0.0", "Returns the expiration time of a key as a Unix timestamp.").complexity("O(1)").syntax("key");
        t.add("pexpiretime", 2, ExpireCommands::pexpiretime).flags("readonly fast").keys(1, 1, 1).acl("@keyspace @read @fast")
            .doc("generic", "7.0.0", "Returns the expiration time of a key as a Unix milliseconds timestamp.").complexity("O(1)").syntax("key");
        t.add("persist", 2, ExpireCommands::persist).flags("write fast").keys(1, 1, 1).acl("@keyspace @write @fast")
            .doc("generic", "2.2.0", "Removes the expiration time of a key.").complexity("O(1)").syntax("key");
    }

    private static void connection(CommandTable t) {
        t.add("ping", -1, ConnectionCommands::ping).flags("fast").acl("@fast @connection")
            .doc("connection", "1.0.0", "Returns the server's liveliness response.").complexity("O(1)").syntax("[message]");
        t.add("echo", 2, ConnectionCommands::echo).flags("fast").acl("@fast @connection")
            .doc("connection", "1.0.0", "Returns the given string.").complexity("O(1)").syntax("message");
        t.add("select", 2, ConnectionCommands::select).flags("loading stale fast").acl("@fast @connection")
            .doc("connection", "1.0.0", "Changes the selected database.").complexity("O(1)").syntax("index");
        t.add("auth", -2, ConnectionCommands::auth).flags("noscript loading stale fast no_auth allow_busy").acl("@fast @connection")
            .doc("connection", "1.0.0", "Authenticates the connection.")
            .complexity("O(N) where N is the number of passwords defined for the user").syntax("[username] password");
        t.add("hello", -1, ConnectionCommands::hello).flags("noscript loading stale fast no_auth allow_busy").acl("@fast @connection")
            .doc("connection", "6.0.0", "Handshakes with the Redis server.").complexity("O(1)")
            .syntax("[protover [AUTH username password] [SETNAME clientname]]");
        t.add("quit", -1, ConnectionCommands::quit).flags("noscript loading stale fast no_auth allow_busy").acl("@fast @connection")
            .doc("connection", "1.0.0", "Closes the connection.").complexity("O(1)");
        t.add("reset", 1, ConnectionCommands::reset).flags("noscript loading stale fast no_auth allow_busy").acl("@fast @connection")
            .doc("connection", "6.2.0", "Resets the connection.").complexity("O(1)");
        CommandSpec client = t.add("client", -2, null).acl("@slow").doc("connection", "2.4.0", "A container for client connection commands.")
            .complexity("Depends on subcommand.");
        client.sub("id", 2, ClientCommands::id).flags("noscript loading stale").acl("@slow @connection")
            .doc("connection", "5.0.0", "Returns the unique client ID of the connection.").complexity("O(1)");
        client.sub("setname", 3, ClientCommands::setname).flags("noscript loading stale").acl("@slow @connection")
            .doc("connection", "2.6.9", "Sets the connection name.").complexity("O(1)").syntax("connection-name");
        client.sub("getname", 2, ClientCommands::getname).flags("noscript loading stale").acl("@slow @connection")
            .doc("connection", "2.6.9", "Returns the name of the connection.").complexity("O(1)");
        client.sub("setinfo", 4, ClientCommands::setinfo).flags("noscript loading stale").acl("@slow @connection")
            .doc("connection", "7.2.0", "Sets information specific to the client or connection.").complexity("O(1)")
            .syntax("LIB-NAME libname|LIB-VER libver");
        client.sub("list", -2, ClientCommands::list).flags("admin noscript loading stale").acl("@admin @slow @dangerous @connection")
            .doc("connection", "2.4.0", "Lists open connections.").complexity("O(N) where N is the number of client connections")
            .syntax("[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id...]");
        client.sub("info", 2, ClientCommands::info).flags("noscript loading stale").acl("@slow @connection")
            .doc("connection", "6.2.0", "Returns information about the connection.").complexity("O(1)");
        client.sub("kill", -3, ClientCommands::kill).flags("admin noscript loading stale").acl("@admin @slow @dangerous @connection")
            .doc("connection", "2.4.0", "Terminates open connections.").complexity("O(N) where N is the number of client connections")
            .syntax("ip:port|([ID client-id] [TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB] [USER username] [ADDR ip:port] [LADDR ip:port] [SKIPME YES|NO] [MAXAGE maxage])");
        client.sub("reply", 3, ClientCommands::reply).flags("noscript loading stale").acl("@slow @connection")
            .doc("connection", "3.2.0", "Instructs the server whether to reply to commands.").complexity("O(1)").syntax("ON|OFF|SKIP");
        client.sub("no-evict", 3, ClientCommands::noEvict).flags("admin noscript loading stale").acl("@admin @slow @dangerous @connection")
            .doc("connection", "7.0.0", "Sets the client eviction mode of the connection.").complexity("O(1)").syntax("ON|OFF");
        client.sub("tracking", -3, ClientCommands::tracking).flags("noscript loading stale").acl("@slow @connection")
            .doc("connection", "6.0.0", "Controls server-assisted client-side caching for the connection.")
            .complexity("O(1). Some options may introduce additional complexity.")
            .syntax("ON|OFF [REDIRECT client-id] [PREFIX prefix...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]");
        client.sub("caching", 3, ClientCommands::caching).flags("noscript loading stale").acl("@slow @connection")
            .doc("connection", "6.0.0", "Instructs the server whether to track the keys in the next request.")
            .complexity("O(1)").syntax("YES|NO");
        client.sub("getredir", 2, ClientCommands::getredir).flags("noscript loading stale").acl("@slow @connection")
            .doc("connection", "6.0.0", "Returns the client ID to which the connection's tracking notifications are redirected.")
            .complexity("O(1)");
        client.sub("trackinginfo", 2, ClientCommands::trackinginfo).flags("noscript loading stale").acl("@slow @connection")
            .doc("connection", "6.2.0", "Returns information about server-assisted client-side caching for the connection.")
            .complexity("O(1)");
        client.sub("help", 2, ClientCommands::help).flags("loading stale").acl("@slow @connection")
            .doc("connection", "5.0.0", "Returns helpful text about the different subcommands.").complexity("O(1)");
    }

    private static void server(CommandTable t) {
        t.add("info", -1, InfoCommand::info).flags("loading stale").acl("@slow @dangerous")
            .doc("server", "1.0.0", "Returns information and statistics about the server.").complexity("O(1)").syntax("[section...]");
        CommandSpec config = t.add("config", -2, null).acl("@slow").doc("server", "2.0.0", "A container for server configuration commands.")
            .complexity("Depends on subcommand.");
        config.sub("get", -3, ConfigCommands::get).flags("admin noscript loading stale").acl("@admin @slow @dangerous")
            .doc("server", "2.0.0", "Returns the effective values of configuration parameters.")
            .complexity("O(N) when N is the number of configuration parameters provided").syntax("parameter...");
        config.sub("set", -4, ConfigCommands::set).flags("admin noscript loading stale").acl("@admin @slow @dangerous")
            .doc("server", "2.0.0", "Sets configuration parameters in-flight.")
            .complexity("O(N) when N is the number of configuration parameters provided").syntax("(parameter value)...");
        config.sub("resetstat", 2, ConfigCommands::resetstat).flags("admin noscript loading stale").acl("@admin @slow @dangerous")
            .doc("server", "2.0.0", "Resets the server's statistics.").complexity("O(1)");
        config.sub("rewrite", 2, ConfigCommands::rewrite).flags("admin noscript loading stale").acl("@admin @slow @dangerous")
            .doc("server", "2.8.0", "Persists the effective configuration to file.").complexity("O(1)");
        config.sub("help", 2, ConfigCommands::help).flags("loading stale").acl("@slow")
            .doc("server", "5.0.0", "Returns helpful text about the different subcommands.").complexity("O(1)");
        CommandSpec command = t.add("command", -1, CommandCommands::all).flags("loading stale").acl("@slow @connection")
            .doc("server", "2.8.13", "Returns detailed information about all commands.")
            .complexity("O(N) where N is the total number of Redis commands");
        command.sub("count", 2, CommandCommands::count).flags("loading stale").acl("@slow @connection")
            .doc("server", "2.8.13", "Returns a count of commands.").complexity("O(1)");
        command.sub("info", -2, CommandCommands::info).flags("loading stale").acl("@slow @connection")
            .doc("server", "2.8.13", "Returns information about one, multiple or all commands.")
            .complexity("O(N) where N is the number of commands to look up").syntax("[command-name...]");
        command.sub("docs", -2, CommandCommands::docs).flags("loading stale").acl("@slow @connection")
            .doc("server", "7.0.0", "Returns documentary information about one, multiple or all commands.")
            .complexity("O(N) where N is the number of commands to look up").syntax("[command-name...]");
        command.sub("list", -2, CommandCommands::list).flags("loading stale").acl("@slow @connection")
            .doc("server", "7.0.0", "Returns a list of command names.").complexity("O(N) where N is the total number of Redis commands")
            .syntax("[FILTERBY MODULE module-name|ACLCAT category|PATTERN pattern]");
        command.sub("getkeys", -4, CommandCommands::getkeys).flags("loading stale").acl("@slow @connection")
            .doc("server", "2.8.13", "Extracts the key names from an arbitrary command.")
            .complexity("O(N) where N is the number of arguments to the command").syntax("command arg...");
        command.sub("help", 2, CommandCommands::help).flags("loading stale").acl("@slow @connection")
            .doc("server", "5.0.0", "Returns helpful text about the different subcommands.").complexity("O(1)");
        t.add("time", 1, ServerCommands::time).flags("loading stale fast").acl("@fast")
            .doc("server", "2.6.0", "Returns the server time.").complexity("O(1)");
        CommandSpec memory = t.add("memory", -2, null).acl("@slow").doc("server", "4.0.0",
            "A container for memory diagnostics commands.").complexity("Depends on subcommand.");
        memory.sub("doctor", 2, MemoryCommands::doctor).acl("@slow")
            .doc("server", "4.0.0", "Outputs a memory problems report.").complexity("O(1)");
        memory.sub("help", 2, MemoryCommands::help).flags("loading stale").acl("@slow")
            .doc("server", "4.0.0", "Returns helpful text about the different subcommands.").complexity("O(1)");
        memory.sub("malloc-stats", 2, MemoryCommands::mallocStats).acl("@slow")
            .doc("server", "4.0.0", "Returns the allocator statistics.")
            .complexity("Depends on how much memory is allocated, could be slow");
        memory.sub("purge", 2, MemoryCommands::purge).acl("@slow")
            .doc("server", "4.0.0", "Asks the allocator to release memory.")
            .complexity("Depends on how much memory is allocated, could be slow");
        memory.sub("stats", 2, MemoryCommands::stats).acl("@slow")
            .doc("server", "4.0.0", "Returns details about memory usage.").complexity("O(1)");
        memory.sub("usage", -3, MemoryCommands::usage).flags("readonly").keys(2, 2, 1).acl("@read @slow")
            .doc("server", "4.0.0", "Estimates the memory usage of a key.")
            .complexity("O(N) where N is the number of samples.").syntax("key [SAMPLES count]");
        t.add("bgrewriteaof", 1, ServerCommands::bgrewriteaof).flags("admin noscript no_async_loading")
            .acl("@admin @slow @dangerous")
            .doc("server", "1.0.0", "Asynchronously rewrites the append-only file to disk.").complexity("O(1)");
        t.add("lastsave", 1, ServerCommands::lastsave).flags("loading stale fast").acl("@fast @dangerous")
            .doc("server", "1.0.0", "Returns the Unix timestamp of the last successful save to disk.").complexity("O(1)");
        t.add("debug", -2, ServerCommands::debug).flags("admin noscript loading stale").acl("@admin @slow @dangerous")
            .doc("server", "1.0.0", "A container for debugging commands.").complexity("Depends on subcommand.").syntax("subcommand arg...");
        CommandSpec function = t.add("function", -2, null).acl("@slow").doc("scripting", "7.0.0", "A container for function commands.")
            .complexity("Depends on subcommand.");
        function.sub("flush", -2, ServerCommands::functionFlush).flags("write noscript").acl("@write @slow @scripting")
            .doc("scripting", "7.0.0", "Deletes all libraries and functions.")
            .complexity("O(N) where N is the number of functions deleted").syntax("[ASYNC|SYNC]");
        function.sub("help", 2, ServerCommands::functionHelp).flags("loading stale").acl("@slow @scripting")
            .doc("scripting", "7.0.0", "Returns helpful text about the different subcommands.").complexity("O(1)");
        t.add("shutdown", -1, ServerCommands::shutdown).flags("admin noscript loading stale no_multi sentinel allow_busy")
            .acl("@admin @slow @dangerous")
            .doc("server", "1.0.0", "Synchronously saves the database(s) to disk and shuts down the Redis server.")
            .complexity("O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)")
            .syntax("[NOSAVE|SAVE] [NOW] [FORCE] [ABORT]");
    }
}
