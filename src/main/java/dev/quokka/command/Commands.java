package dev.quokka.command;

import dev.quokka.command.admin.CommandCommands;
import dev.quokka.command.admin.ConfigCommands;
import dev.quokka.command.admin.InfoCommand;
import dev.quokka.command.admin.MemoryCommands;
import dev.quokka.command.admin.ServerCommands;
import dev.quokka.command.connection.ClientCommands;
import dev.quokka.command.connection.ConnectionCommands;
import dev.quokka.command.expire.ExpireCommands;
import dev.quokka.command.hash.HashCommands;
import dev.quokka.command.keys.KeyCommands;
import dev.quokka.command.keys.ObjectCommands;
import dev.quokka.command.list.ListCommands;
import dev.quokka.command.pubsub.PubSubCommands;
import dev.quokka.command.set.SetCommands;
import dev.quokka.command.string.BitCommands;
import dev.quokka.command.string.StringCommands;
import dev.quokka.command.transaction.TransactionCommands;
import dev.quokka.command.zset.ZSetCommands;

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
        lists(t);
        hashes(t);
        sets(t);
        sortedSets(t);
        transactions(t);
    }

    private static void transactions(CommandTable t) {
        t.add("multi", 1, TransactionCommands::multi).flags("noscript loading stale fast allow_busy").acl("@fast @transaction")
            .doc("transactions", "1.2.0", "Starts a transaction.").complexity("O(1)");
        t.add("exec", 1, c -> c.server.dispatcher().exec(c)).flags("noscript loading stale skip_slowlog").acl("@slow @transaction")
            .doc("transactions", "1.2.0", "Executes all commands in a transaction.")
            .complexity("Depends on commands in the transaction");
        t.add("discard", 1, TransactionCommands::discard).flags("noscript loading stale fast allow_busy").acl("@fast @transaction")
            .doc("transactions", "2.0.0", "Discards a transaction.").complexity("O(N), when N is the number of queued commands");
        t.add("watch", -2, TransactionCommands::watch).flags("noscript loading stale fast allow_busy").keys(1, -1, 1)
            .acl("@fast @transaction").doc("transactions", "2.2.0", "Monitors changes to keys to determine the execution of a transaction.")
            .complexity("O(1) for every key.").syntax("key...");
        t.add("unwatch", 1, TransactionCommands::unwatch).flags("noscript loading stale fast allow_busy").acl("@fast @transaction")
            .doc("transactions", "2.2.0", "Forgets about watched keys of a transaction.").complexity("O(1)");
    }

    private static void lists(CommandTable t) {
        t.add("lpush", -3, ListCommands::lpush).flags("write denyoom fast").keys(1, 1, 1).acl("@write @list @fast")
            .doc("list", "1.0.0", "Prepends one or more elements to a list. Creates the key if it doesn't exist.").syntax("key element...");
        t.add("rpush", -3, ListCommands::rpush).flags("write denyoom fast").keys(1, 1, 1).acl("@write @list @fast")
            .doc("list", "1.0.0", "Appends one or more elements to a list. Creates the key if it doesn't exist.").syntax("key element...");
        t.add("lpushx", -3, ListCommands::lpushx).flags("write denyoom fast").keys(1, 1, 1).acl("@write @list @fast")
            .doc("list", "2.2.0", "Prepends one or more elements to a list only when the list exists.").syntax("key element...");
        t.add("rpushx", -3, ListCommands::rpushx).flags("write denyoom fast").keys(1, 1, 1).acl("@write @list @fast")
            .doc("list", "2.2.0", "Appends an element to a list only when the list exists.").syntax("key element...");
        t.add("linsert", 5, ListCommands::linsert).flags("write denyoom").keys(1, 1, 1).acl("@write @list @slow")
            .doc("list", "2.2.0", "Inserts an element before or after another element in a list.").syntax("key BEFORE|AFTER pivot element");
        t.add("llen", 2, ListCommands::llen).flags("readonly fast").keys(1, 1, 1).acl("@read @list @fast")
            .doc("list", "1.0.0", "Returns the length of a list.").syntax("key");
        t.add("lindex", 3, ListCommands::lindex).flags("readonly").keys(1, 1, 1).acl("@read @list @slow")
            .doc("list", "1.0.0", "Returns an element from a list by its index.").syntax("key index");
        t.add("lrange", 4, ListCommands::lrange).flags("readonly").keys(1, 1, 1).acl("@read @list @slow")
            .doc("list", "1.0.0", "Returns a range of elements from a list.").syntax("key start stop");
        t.add("lpos", -3, ListCommands::lpos).flags("readonly").keys(1, 1, 1).acl("@read @list @slow")
            .doc("list", "6.0.6", "Returns the index of matching elements in a list.").syntax("key element [RANK rank] [COUNT num-matches] [MAXLEN len]");
        t.add("lset", 4, ListCommands::lset).flags("write denyoom").keys(1, 1, 1).acl("@write @list @slow")
            .doc("list", "1.0.0", "Sets the value of an element in a list by its index.").syntax("key index element");
        t.add("ltrim", 4, ListCommands::ltrim).flags("write").keys(1, 1, 1).acl("@write @list @slow")
            .doc("list", "1.0.0", "Removes elements from both ends a list. Deletes the list if all elements were trimmed.").syntax("key start stop");
        t.add("lrem", 4, ListCommands::lrem).flags("write").keys(1, 1, 1).acl("@write @list @slow")
            .doc("list", "1.0.0", "Removes elements from a list. Deletes the list if the last element was removed.").syntax("key count element");
        t.add("lpop", -2, ListCommands::lpop).flags("write fast").keys(1, 1, 1).acl("@write @list @fast")
            .doc("list", "1.0.0", "Returns the first elements in a list after removing it. Deletes the list if the last element was popped.").syntax("key [count]");
        t.add("rpop", -2, ListCommands::rpop).flags("write fast").keys(1, 1, 1).acl("@write @list @fast")
            .doc("list", "1.0.0", "Returns and removes the last elements of a list. Deletes the list if the last element was popped.").syntax("key [count]");
        t.add("lmpop", -4, ListCommands::lmpop).flags("write").numkeys(1).acl("@write @list @slow")
            .doc("list", "7.0.0", "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.").syntax("numkeys key... LEFT|RIGHT [COUNT count]");
        t.add("blmpop", -5, ListCommands::blmpop).flags("write blocking").numkeys(2).acl("@write @list @slow @blocking")
            .doc("list", "7.0.0", "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.").syntax("timeout numkeys key... LEFT|RIGHT [COUNT count]");
        t.add("blpop", -3, ListCommands::blpop).flags("write noscript blocking").keys(1, -2, 1).acl("@write @list @slow @blocking")
            .doc("list", "2.0.0", "Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.").syntax("key... timeout");
        t.add("brpop", -3, ListCommands::brpop).flags("write noscript blocking").keys(1, -2, 1).acl("@write @list @slow @blocking")
            .doc("list", "2.0.0", "Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.").syntax("key... timeout");
        t.add("lmove", 5, ListCommands::lmove).flags("write denyoom").keys(1, 2, 1).acl("@write @list @slow")
            .doc("list", "6.2.0", "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.").syntax("source destination LEFT|RIGHT LEFT|RIGHT");
        t.add("rpoplpush", 3, ListCommands::rpoplpush).flags("write denyoom").keys(1, 2, 1).acl("@write @list @slow")
            .doc("list", "1.2.0", "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.").syntax("source destination");
        t.add("blmove", 6, ListCommands::blmove).flags("write denyoom noscript blocking").keys(1, 2, 1).acl("@write @list @slow @blocking")
            .doc("list", "6.2.0", "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.").syntax("source destination LEFT|RIGHT LEFT|RIGHT timeout");
        t.add("brpoplpush", 4, ListCommands::brpoplpush).flags("write denyoom noscript blocking").keys(1, 2, 1).acl("@write @list @slow @blocking")
            .doc("list", "2.2.0", "Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.").syntax("source destination timeout");
    }

    private static void hashes(CommandTable t) {
        t.add("hset", -4, HashCommands::hset).flags("write denyoom fast").keys(1, 1, 1).acl("@write @hash @fast")
            .doc("hash", "2.0.0", "Creates or modifies the value of a field in a hash.").syntax("key (field value)...");
        t.add("hmset", -4, HashCommands::hmset).flags("write denyoom fast").keys(1, 1, 1).acl("@write @hash @fast")
            .doc("hash", "2.0.0", "Sets the values of multiple fields.").syntax("key (field value)...");
        t.add("hsetnx", 4, HashCommands::hsetnx).flags("write denyoom fast").keys(1, 1, 1).acl("@write @hash @fast")
            .doc("hash", "2.0.0", "Sets the value of a field in a hash only when the field doesn't exist.").syntax("key field value");
        t.add("hget", 3, HashCommands::hget).flags("readonly fast").keys(1, 1, 1).acl("@read @hash @fast")
            .doc("hash", "2.0.0", "Returns the value of a field in a hash.").syntax("key field");
        t.add("hmget", -3, HashCommands::hmget).flags("readonly fast").keys(1, 1, 1).acl("@read @hash @fast")
            .doc("hash", "2.0.0", "Returns the values of all fields in a hash.").syntax("key field...");
        t.add("hdel", -3, HashCommands::hdel).flags("write fast").keys(1, 1, 1).acl("@write @hash @fast")
            .doc("hash", "2.0.0", "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.").syntax("key field...");
        t.add("hlen", 2, HashCommands::hlen).flags("readonly fast").keys(1, 1, 1).acl("@read @hash @fast")
            .doc("hash", "2.0.0", "Returns the number of fields in a hash.").syntax("key");
        t.add("hstrlen", 3, HashCommands::hstrlen).flags("readonly fast").keys(1, 1, 1).acl("@read @hash @fast")
            .doc("hash", "3.2.0", "Returns the length of the value of a field.").syntax("key field");
        t.add("hexists", 3, HashCommands::hexists).flags("readonly fast").keys(1, 1, 1).acl("@read @hash @fast")
            .doc("hash", "2.0.0", "Determines whether a field exists in a hash.").syntax("key field");
        t.add("hkeys", 2, HashCommands::hkeys).flags("readonly").keys(1, 1, 1).acl("@read @hash @slow")
            .doc("hash", "2.0.0", "Returns all fields in a hash.").syntax("key");
        t.add("hvals", 2, HashCommands::hvals).flags("readonly").keys(1, 1, 1).acl("@read @hash @slow")
            .doc("hash", "2.0.0", "Returns all values in a hash.").syntax("key");
        t.add("hgetall", 2, HashCommands::hgetall).flags("readonly").keys(1, 1, 1).acl("@read @hash @slow")
            .doc("hash", "2.0.0", "Returns all fields and values in a hash.").syntax("key");
        t.add("hincrby", 4, HashCommands::hincrby).flags("write denyoom fast").keys(1, 1, 1).acl("@write @hash @fast")
            .doc("hash", "2.0.0", "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.").syntax("key field increment");
        t.add("hincrbyfloat", 4, HashCommands::hincrbyfloat).flags("write denyoom fast").keys(1, 1, 1).acl("@write @hash @fast")
            .doc("hash", "2.6.0", "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.").syntax("key field increment");
        t.add("hrandfield", -2, HashCommands::hrandfield).flags("readonly").keys(1, 1, 1).acl("@read @hash @slow")
            .doc("hash", "6.2.0", "Returns one or more random fields from a hash.").syntax("key [count [WITHVALUES]]");
        t.add("hscan", -3, HashCommands::hscan).flags("readonly").keys(1, 1, 1).acl("@read @hash @slow")
            .doc("hash", "2.8.0", "Iterates over fields and values of a hash.").syntax("key cursor [MATCH pattern] [COUNT count]");
    }

    private static void sets(CommandTable t) {
        t.add("sadd", -3, SetCommands::sadd).flags("write denyoom fast").keys(1, 1, 1).acl("@write @set @fast")
            .doc("set", "1.0.0", "Adds one or more members to a set. Creates the key if it doesn't exist.").syntax("key member...");
        t.add("srem", -3, SetCommands::srem).flags("write fast").keys(1, 1, 1).acl("@write @set @fast")
            .doc("set", "1.0.0", "Removes one or more members from a set. Deletes the set if the last member was removed.").syntax("key member...");
        t.add("smove", 4, SetCommands::smove).flags("write fast").keys(1, 2, 1).acl("@write @set @fast")
            .doc("set", "1.0.0", "Moves a member from one set to another.").syntax("source destination member");
        t.add("sismember", 3, SetCommands::sismember).flags("readonly fast").keys(1, 1, 1).acl("@read @set @fast")
            .doc("set", "1.0.0", "Determines whether a member belongs to a set.").syntax("key member");
        t.add("smismember", -3, SetCommands::smismember).flags("readonly fast").keys(1, 1, 1).acl("@read @set @fast")
            .doc("set", "6.2.0", "Determines whether multiple members belong to a set.").syntax("key member...");
        t.add("scard", 2, SetCommands::scard).flags("readonly fast").keys(1, 1, 1).acl("@read @set @fast")
            .doc("set", "1.0.0", "Returns the number of members in a set.").syntax("key");
        t.add("smembers", 2, SetCommands::smembers).flags("readonly").keys(1, 1, 1).acl("@read @set @slow")
            .doc("set", "1.0.0", "Returns all members of a set.").syntax("key");
        t.add("spop", -2, SetCommands::spop).flags("write fast").keys(1, 1, 1).acl("@write @set @fast")
            .doc("set", "1.0.0", "Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.").syntax("key [count]");
        t.add("srandmember", -2, SetCommands::srandmember).flags("readonly").keys(1, 1, 1).acl("@read @set @slow")
            .doc("set", "1.0.0", "Get one or multiple random members from a set").syntax("key [count]");
        t.add("sinter", -2, SetCommands::sinter).flags("readonly").keys(1, -1, 1).acl("@read @set @slow")
            .doc("set", "1.0.0", "Returns the intersect of multiple sets.").syntax("key...");
        t.add("sintercard", -3, SetCommands::sintercard).flags("readonly").numkeys(1).acl("@read @set @slow")
            .doc("set", "7.0.0", "Returns the number of members of the intersect of multiple sets.").syntax("numkeys key... [LIMIT limit]");
        t.add("sinterstore", -3, SetCommands::sinterstore).flags("write denyoom").keys(1, -1, 1).acl("@write @set @slow")
            .doc("set", "1.0.0", "Stores the intersect of multiple sets in a key.").syntax("destination key...");
        t.add("sunion", -2, SetCommands::sunion).flags("readonly").keys(1, -1, 1).acl("@read @set @slow")
            .doc("set", "1.0.0", "Returns the union of multiple sets.").syntax("key...");
        t.add("sunionstore", -3, SetCommands::sunionstore).flags("write denyoom").keys(1, -1, 1).acl("@write @set @slow")
            .doc("set", "1.0.0", "Stores the union of multiple sets in a key.").syntax("destination key...");
        t.add("sdiff", -2, SetCommands::sdiff).flags("readonly").keys(1, -1, 1).acl("@read @set @slow")
            .doc("set", "1.0.0", "Returns the difference of multiple sets.").syntax("key...");
        t.add("sdiffstore", -3, SetCommands::sdiffstore).flags("write denyoom").keys(1, -1, 1).acl("@write @set @slow")
            .doc("set", "1.0.0", "Stores the difference of multiple sets in a key.").syntax("destination key...");
        t.add("sscan", -3, SetCommands::sscan).flags("readonly").keys(1, 1, 1).acl("@read @set @slow")
            .doc("set", "2.8.0", "Iterates over members of a set.").syntax("key cursor [MATCH pattern] [COUNT count]");
    }

    private static void sortedSets(CommandTable t) {
        t.add("zadd", -4, ZSetCommands::zadd).flags("write denyoom fast").keys(1, 1, 1).acl("@write @sortedset @fast")
            .doc("sorted-set", "1.2.0", "Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.").syntax("key [NX|XX] [GT|LT] [CH] [INCR] (score member)...");
        t.add("zincrby", 4, ZSetCommands::zincrby).flags("write denyoom fast").keys(1, 1, 1).acl("@write @sortedset @fast")
            .doc("sorted-set", "1.2.0", "Increments the score of a member in a sorted set.").syntax("key increment member");
        t.add("zrem", -3, ZSetCommands::zrem).flags("write fast").keys(1, 1, 1).acl("@write @sortedset @fast")
            .doc("sorted-set", "1.2.0", "Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.").syntax("key member...");
        t.add("zcard", 2, ZSetCommands::zcard).flags("readonly fast").keys(1, 1, 1).acl("@read @sortedset @fast")
            .doc("sorted-set", "1.2.0", "Returns the number of members in a sorted set.").syntax("key");
        t.add("zscore", 3, ZSetCommands::zscore).flags("readonly fast").keys(1, 1, 1).acl("@read @sortedset @fast")
            .doc("sorted-set", "1.2.0", "Returns the score of a member in a sorted set.").syntax("key member");
        t.add("zmscore", -3, ZSetCommands::zmscore).flags("readonly fast").keys(1, 1, 1).acl("@read @sortedset @fast")
            .doc("sorted-set", "6.2.0", "Returns the score of one or more members in a sorted set.").syntax("key member...");
        t.add("zrank", 3, ZSetCommands::zrank).flags("readonly fast").keys(1, 1, 1).acl("@read @sortedset @fast")
            .doc("sorted-set", "2.0.0", "Returns the index of a member in a sorted set ordered by ascending scores.").syntax("key member");
        t.add("zrevrank", 3, ZSetCommands::zrevrank).flags("readonly fast").keys(1, 1, 1).acl("@read @sortedset @fast")
            .doc("sorted-set", "2.0.0", "Returns the index of a member in a sorted set ordered by descending scores.").syntax("key member");
        t.add("zcount", 4, ZSetCommands::zcount).flags("readonly fast").keys(1, 1, 1).acl("@read @sortedset @fast")
            .doc("sorted-set", "2.0.0", "Returns the count of members in a sorted set that have scores within a range.").syntax("key min max");
        t.add("zlexcount", 4, ZSetCommands::zlexcount).flags("readonly fast").keys(1, 1, 1).acl("@read @sortedset @fast")
            .doc("sorted-set", "2.8.9", "Returns the number of members in a sorted set within a lexicographical range.").syntax("key min max");
        t.add("zrange", -4, ZSetCommands::zrange).flags("readonly").keys(1, 1, 1).acl("@read @sortedset @slow")
            .doc("sorted-set", "1.2.0", "Returns members in a sorted set within a range of indexes.").syntax("key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]");
        t.add("zrangestore", -5, ZSetCommands::zrangestore).flags("write denyoom").keys(1, 2, 1).acl("@write @sortedset @slow")
            .doc("sorted-set", "6.2.0", "Stores a range of members from sorted set in a key.").syntax("dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]");
        t.add("zrevrange", -4, ZSetCommands::zrevrange).flags("readonly").keys(1, 1, 1).acl("@read @sortedset @slow")
            .doc("sorted-set", "1.2.0", "Returns members in a sorted set within a range of indexes in reverse order.").syntax("key start stop [WITHSCORES]");
        t.add("zrangebyscore", -4, ZSetCommands::zrangebyscore).flags("readonly").keys(1, 1, 1).acl("@read @sortedset @slow")
            .doc("sorted-set", "1.0.5", "Returns members in a sorted set within a range of scores.").syntax("key min max [WITHSCORES] [LIMIT offset count]");
        t.add("zrevrangebyscore", -4, ZSetCommands::zrevrangebyscore).flags("readonly").keys(1, 1, 1).acl("@read @sortedset @slow")
            .doc("sorted-set", "2.2.0", "Returns members in a sorted set within a range of scores in reverse order.").syntax("key max min [WITHSCORES] [LIMIT offset count]");
        t.add("zrangebylex", -4, ZSetCommands::zrangebylex).flags("readonly").keys(1, 1, 1).acl("@read @sortedset @slow")
            .doc("sorted-set", "2.8.9", "Returns members in a sorted set within a lexicographical range.").syntax("key min max [LIMIT offset count]");
        t.add("zrevrangebylex", -4, ZSetCommands::zrevrangebylex).flags("readonly").keys(1, 1, 1).acl("@read @sortedset @slow")
            .doc("sorted-set", "2.8.9", "Returns members in a sorted set within a lexicographical range in reverse order.").syntax("key max min [LIMIT offset count]");
        t.add("zremrangebyrank", 4, ZSetCommands::zremrangebyrank).flags("write").keys(1, 1, 1).acl("@write @sortedset @slow")
            .doc("sorted-set", "2.0.0", "Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.").syntax("key start stop");
        t.add("zremrangebyscore", 4, ZSetCommands::zremrangebyscore).flags("write").keys(1, 1, 1).acl("@write @sortedset @slow")
            .doc("sorted-set", "1.2.0", "Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.").syntax("key min max");
        t.add("zremrangebylex", 4, ZSetCommands::zremrangebylex).flags("write").keys(1, 1, 1).acl("@write @sortedset @slow")
            .doc("sorted-set", "2.8.9", "Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.").syntax("key min max");
        t.add("zunion", -3, ZSetCommands::zunion).flags("readonly").numkeys(1).acl("@read @sortedset @slow")
            .doc("sorted-set", "6.2.0", "Returns the union of multiple sorted sets.").syntax("numkeys key... [WEIGHTS weight...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]");
        t.add("zinter", -3, ZSetCommands::zinter).flags("readonly").numkeys(1).acl("@read @sortedset @slow")
            .doc("sorted-set", "6.2.0", "Returns the intersect of multiple sorted sets.").syntax("numkeys key... [WEIGHTS weight...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]");
        t.add("zdiff", -3, ZSetCommands::zdiff).flags("readonly").numkeys(1).acl("@read @sortedset @slow")
            .doc("sorted-set", "6.2.0", "Returns the difference between multiple sorted sets.").syntax("numkeys key... [WITHSCORES]");
        t.add("zunionstore", -4, ZSetCommands::zunionstore).flags("write denyoom").keys(1, 1, 1).numkeys(2).acl("@write @sortedset @slow")
            .doc("sorted-set", "2.0.0", "Stores the union of multiple sorted sets in a key.").syntax("destination numkeys key... [WEIGHTS weight...] [AGGREGATE SUM|MIN|MAX]");
        t.add("zinterstore", -4, ZSetCommands::zinterstore).flags("write denyoom").keys(1, 1, 1).numkeys(2).acl("@write @sortedset @slow")
            .doc("sorted-set", "2.0.0", "Stores the intersect of multiple sorted sets in a key.").syntax("destination numkeys key... [WEIGHTS weight...] [AGGREGATE SUM|MIN|MAX]");
        t.add("zdiffstore", -4, ZSetCommands::zdiffstore).flags("write denyoom").keys(1, 1, 1).numkeys(2).acl("@write @sortedset @slow")
            .doc("sorted-set", "6.2.0", "Stores the difference of multiple sorted sets in a key.").syntax("destination numkeys key...");
        t.add("zintercard", -3, ZSetCommands::zintercard).flags("readonly").numkeys(1).acl("@read @sortedset @slow")
            .doc("sorted-set", "7.0.0", "Returns the number of members of the intersect of multiple sorted sets.").syntax("numkeys key... [LIMIT limit]");
        t.add("zpopmin", -2, ZSetCommands::zpopmin).flags("write fast").keys(1, 1, 1).acl("@write @sortedset @fast")
            .doc("sorted-set", "5.0.0", "Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.").syntax("key [count]");
        t.add("zpopmax", -2, ZSetCommands::zpopmax).flags("write fast").keys(1, 1, 1).acl("@write @sortedset @fast")
            .doc("sorted-set", "5.0.0", "Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.").syntax("key [count]");
        t.add("zmpop", -4, ZSetCommands::zmpop).flags("write").numkeys(1).acl("@write @sortedset @slow")
            .doc("sorted-set", "7.0.0", "Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.").syntax("numkeys key... MIN|MAX [COUNT count]");
        t.add("bzpopmin", -3, ZSetCommands::bzpopmin).flags("write noscript blocking fast").keys(1, -2, 1).acl("@write @sortedset @fast @blocking")
            .doc("sorted-set", "5.0.0", "Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.").syntax("key... timeout");
        t.add("bzpopmax", -3, ZSetCommands::bzpopmax).flags("write noscript blocking fast").keys(1, -2, 1).acl("@write @sortedset @fast @blocking")
            .doc("sorted-set", "5.0.0", "Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.").syntax("key... timeout");
        t.add("bzmpop", -5, ZSetCommands::bzmpop).flags("write blocking").numkeys(2).acl("@write @sortedset @slow @blocking")
            .doc("sorted-set", "7.0.0", "Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.").syntax("timeout numkeys key... MIN|MAX [COUNT count]");
        t.add("zrandmember", -2, ZSetCommands::zrandmember).flags("readonly").keys(1, 1, 1).acl("@read @sortedset @slow")
            .doc("sorted-set", "6.2.0", "Returns one or more random members from a sorted set.").syntax("key [count [WITHSCORES]]");
        t.add("zscan", -3, ZSetCommands::zscan).flags("readonly").keys(1, 1, 1).acl("@read @sortedset @slow")
            .doc("sorted-set", "2.8.0", "Iterates over members and scores of a sorted set.").syntax("key cursor [MATCH pattern] [COUNT count]");
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
        client.sub("unblock", -3, ClientCommands::unblock).flags("admin noscript loading stale").acl("@admin @slow @dangerous @connection")
            .doc("connection", "5.0.0", "Unblocks a client blocked by a blocking command from a different connection.")
            .complexity("O(log N) where N is the number of client connections").syntax("client-id [TIMEOUT|ERROR]");
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
