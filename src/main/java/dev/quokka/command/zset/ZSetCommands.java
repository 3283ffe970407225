package dev.quokka.command.zset;

import dev.quokka.command.Acl;
import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandError;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.command.MultiKeyPop;
import dev.quokka.command.Scan;
import dev.quokka.command.Values;
import dev.quokka.command.hash.HashCommands;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.keyspace.Collection;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.keyspace.SetValue;
import dev.quokka.keyspace.ZSetValue;
import dev.quokka.persistence.Effects;
import dev.quokka.protocol.Numbers;
import dev.quokka.protocol.RespWriter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.quokka.command.ArgumentDoc.arg;

/**
 * The sorted-set group (Redis's {@code t_zset.c}). Every ordered read turns its score, lex or
 * index range into a range of ascending ranks and walks it with {@link ZSetValue#range}.
 */
public final class ZSetCommands {
    private static final String NOT_FLOAT_RANGE = "ERR min or max is not a float";
    private static final String NOT_LEX_RANGE = "ERR min or max not valid string range item";

    private ZSetCommands() {
    }

    /** Declares this family's commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("zadd", -4, ZSetCommands::zadd).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "1.2.0", "Add one or more members to a sorted set, or update its score if it already exists")
            .keySpec("RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)) for each item added, where N is the number of elements in the sorted set.")
            .args(arg("key", "key").keySpec(0),
                arg("condition", "oneof").since("3.0.2").optional().of(
                    arg("nx", "pure-token").token("NX"),
                    arg("xx", "pure-token").token("XX")),
                arg("comparison", "oneof").since("6.2.0").optional().of(
                    arg("gt", "pure-token").token("GT"),
                    arg("lt", "pure-token").token("LT")),
                arg("change", "pure-token").token("CH").since("3.0.2").optional(),
                arg("increment", "pure-token").token("INCR").since("3.0.2").optional(),
                arg("score_member", "block").multiple().of(
                    arg("score", "double"),
                    arg("member", "string")))
            .history("2.4.0", "Accepts multiple elements.")
            .history("3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options.")
            .history("6.2.0", "Added the `GT` and `LT` options.");
        t.add("zincrby", 4, ZSetCommands::zincrby).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "1.2.0", "Increment the score of a member in a sorted set")
            .keySpec("RW access update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)) where N is the number of elements in the sorted set.")
            .args(arg("key", "key").keySpec(0),
                arg("increment", "integer"),
                arg("member", "string"));
        t.add("zrem", -3, ZSetCommands::zrem).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "1.2.0", "Remove one or more members from a sorted set")
            .keySpec("RW delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.")
            .args(arg("key", "key").keySpec(0),
                arg("member", "string").multiple())
            .history("2.4.0", "Accepts multiple elements.");
        t.add("zcard", 2, ZSetCommands::zcard).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "1.2.0", "Get the number of members in a sorted set")
            .keySpec("RO", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("key", "key").keySpec(0));
        t.add("zscore", 3, ZSetCommands::zscore).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "1.2.0", "Get the score associated with the given member in a sorted set")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("key", "key").keySpec(0),
                arg("member", "string"));
        t.add("zmscore", -3, ZSetCommands::zmscore).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "6.2.0", "Get the score associated with the given members in a sorted set")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the number of members being requested.")
            .args(arg("key", "key").keySpec(0),
                arg("member", "string").multiple());
        t.add("zrank", 3, ZSetCommands::zrank).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "2.0.0", "Determine the index of a member in a sorted set")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N))")
            .args(arg("key", "key").keySpec(0),
                arg("member", "string"));
        t.add("zrevrank", 3, ZSetCommands::zrevrank).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "2.0.0", "Determine the index of a member in a sorted set, with scores ordered from high to low")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N))")
            .args(arg("key", "key").keySpec(0),
                arg("member", "string"));
        t.add("zcount", 4, ZSetCommands::zcount).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "2.0.0", "Count the members in a sorted set with scores within the given values")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)) with N being the number of elements in the sorted set.")
            .args(arg("key", "key").keySpec(0),
                arg("min", "double"),
                arg("max", "double"));
        t.add("zlexcount", 4, ZSetCommands::zlexcount).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "2.8.9", "Count the number of members in a sorted set between a given lexicographical range")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)) with N being the number of elements in the sorted set.")
            .args(arg("key", "key").keySpec(0),
                arg("min", "string"),
                arg("max", "string"));
        t.add("zrange", -4, ZSetCommands::zrange).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "1.2.0", "Return a range of members in a sorted set")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.")
            .args(arg("key", "key").keySpec(0),
                arg("start", "string"),
                arg("stop", "string"),
                arg("sortby", "oneof").since("6.2.0").optional().of(
                    arg("byscore", "pure-token").token("BYSCORE"),
                    arg("bylex", "pure-token").token("BYLEX")),
                arg("rev", "pure-token").token("REV").since("6.2.0").optional(),
                arg("offset_count", "block").token("LIMIT").since("6.2.0").optional().of(
                    arg("offset", "integer"),
                    arg("count", "integer")),
                arg("withscores", "pure-token").token("WITHSCORES").optional())
            .history("6.2.0", "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.");
        t.add("zrangestore", -5, ZSetCommands::zrangestore).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 2, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "6.2.0", "Store a range of members from sorted set into another key")
            .keySpec("OW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("RO access", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.")
            .args(arg("dst", "key").keySpec(0),
                arg("src", "key").keySpec(1),
                arg("min", "string"),
                arg("max", "string"),
                arg("sortby", "oneof").optional().of(
                    arg("byscore", "pure-token").token("BYSCORE"),
                    arg("bylex", "pure-token").token("BYLEX")),
                arg("rev", "pure-token").token("REV").optional(),
                arg("offset_count", "block").token("LIMIT").optional().of(
                    arg("offset", "integer"),
                    arg("count", "integer")));
        t.add("zrevrange", -4, ZSetCommands::zrevrange).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "1.2.0", "Return a range of members in a sorted set, by index, with scores ordered from high to low")
            .deprecated("6.2.0", "`ZRANGE` with the `REV` argument")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.")
            .args(arg("key", "key").keySpec(0),
                arg("start", "integer"),
                arg("stop", "integer"),
                arg("withscores", "pure-token").token("WITHSCORES").optional());
        t.add("zrangebyscore", -4, ZSetCommands::zrangebyscore).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "1.0.5", "Return a range of members in a sorted set, by score")
            .deprecated("6.2.0", "`ZRANGE` with the `BYSCORE` argument")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).")
            .args(arg("key", "key").keySpec(0),
                arg("min", "double"),
                arg("max", "double"),
                arg("withscores", "pure-token").token("WITHSCORES").since("2.0.0").optional(),
                arg("offset_count", "block").token("LIMIT").optional().of(
                    arg("offset", "integer"),
                    arg("count", "integer")))
            .history("2.0.0", "Added the `WITHSCORES` modifier.");
        t.add("zrevrangebyscore", -4, ZSetCommands::zrevrangebyscore).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "2.2.0", "Return a range of members in a sorted set, by score, with scores ordered from high to low")
            .deprecated("6.2.0", "`ZRANGE` with the `REV` and `BYSCORE` arguments")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).")
            .args(arg("key", "key").keySpec(0),
                arg("max", "double"),
                arg("min", "double"),
                arg("withscores", "pure-token").token("WITHSCORES").optional(),
                arg("offset_count", "block").token("LIMIT").optional().of(
                    arg("offset", "integer"),
                    arg("count", "integer")))
            .history("2.1.6", "`min` and `max` can be exclusive.");
        t.add("zrangebylex", -4, ZSetCommands::zrangebylex).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "2.8.9", "Return a range of members in a sorted set, by lexicographical range")
            .deprecated("6.2.0", "`ZRANGE` with the `BYLEX` argument")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).")
            .args(arg("key", "key").keySpec(0),
                arg("min", "string"),
                arg("max", "string"),
                arg("offset_count", "block").token("LIMIT").optional().of(
                    arg("offset", "integer"),
                    arg("count", "integer")));
        t.add("zrevrangebylex", -4, ZSetCommands::zrevrangebylex).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "2.8.9", "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.")
            .deprecated("6.2.0", "`ZRANGE` with the `REV` and `BYLEX` arguments")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).")
            .args(arg("key", "key").keySpec(0),
                arg("max", "string"),
                arg("min", "string"),
                arg("offset_count", "block").token("LIMIT").optional().of(
                    arg("offset", "integer"),
                    arg("count", "integer")));
        t.add("zremrangebyrank", 4, ZSetCommands::zremrangebyrank).flags(Flag.WRITE).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "2.0.0", "Remove all members in a sorted set within the given indexes")
            .keySpec("RW delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.")
            .args(arg("key", "key").keySpec(0),
                arg("start", "integer"),
                arg("stop", "integer"));
        t.add("zremrangebyscore", 4, ZSetCommands::zremrangebyscore).flags(Flag.WRITE).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "1.2.0", "Remove all members in a sorted set within the given scores")
            .keySpec("RW delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.")
            .args(arg("key", "key").keySpec(0),
                arg("min", "double"),
                arg("max", "double"));
        t.add("zremrangebylex", 4, ZSetCommands::zremrangebylex).flags(Flag.WRITE).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "2.8.9", "Remove all members in a sorted set between the given lexicographical range")
            .keySpec("RW delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.")
            .args(arg("key", "key").keySpec(0),
                arg("min", "string"),
                arg("max", "string"));
        t.add("zunion", -3, ZSetCommands::zunion).flags(Flag.READONLY).numkeys(1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "6.2.0", "Add multiple sorted sets")
            .keySpec("RO access", KeySpec.index(1), KeySpec.keynum(0, 1, 1))
            .complexity("O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.")
            .args(arg("numkeys", "integer"),
                arg("key", "key").keySpec(0).multiple(),
                arg("weight", "integer").token("WEIGHTS").optional().multiple(),
                arg("aggregate", "oneof").token("AGGREGATE").optional().of(
                    arg("sum", "pure-token").token("SUM"),
                    arg("min", "pure-token").token("MIN"),
                    arg("max", "pure-token").token("MAX")),
                arg("withscores", "pure-token").token("WITHSCORES").optional());
        t.add("zinter", -3, ZSetCommands::zinter).flags(Flag.READONLY).numkeys(1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "6.2.0", "Intersect multiple sorted sets")
            .keySpec("RO access", KeySpec.index(1), KeySpec.keynum(0, 1, 1))
            .complexity("O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.")
            .args(arg("numkeys", "integer"),
                arg("key", "key").keySpec(0).multiple(),
                arg("weight", "integer").token("WEIGHTS").optional().multiple(),
                arg("aggregate", "oneof").token("AGGREGATE").optional().of(
                    arg("sum", "pure-token").token("SUM"),
                    arg("min", "pure-token").token("MIN"),
                    arg("max", "pure-token").token("MAX")),
                arg("withscores", "pure-token").token("WITHSCORES").optional());
        t.add("zdiff", -3, ZSetCommands::zdiff).flags(Flag.READONLY).numkeys(1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "6.2.0", "Subtract multiple sorted sets")
            .keySpec("RO access", KeySpec.index(1), KeySpec.keynum(0, 1, 1))
            .complexity("O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.")
            .args(arg("numkeys", "integer"),
                arg("key", "key").keySpec(0).multiple(),
                arg("withscores", "pure-token").token("WITHSCORES").optional());
        t.add("zunionstore", -4, ZSetCommands::zunionstore).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).numkeys(2).acl(Acl.SORTEDSET)
            .doc("sorted-set", "2.0.0", "Add multiple sorted sets and store the resulting sorted set in a new key")
            .keySpec("OW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("RO access", KeySpec.index(2), KeySpec.keynum(0, 1, 1))
            .complexity("O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.")
            .args(arg("destination", "key").keySpec(0),
                arg("numkeys", "integer"),
                arg("key", "key").keySpec(1).multiple(),
                arg("weight", "integer").token("WEIGHTS").optional().multiple(),
                arg("aggregate", "oneof").token("AGGREGATE").optional().of(
                    arg("sum", "pure-token").token("SUM"),
                    arg("min", "pure-token").token("MIN"),
                    arg("max", "pure-token").token("MAX")));
        t.add("zinterstore", -4, ZSetCommands::zinterstore).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).numkeys(2).acl(Acl.SORTEDSET)
            .doc("sorted-set", "2.0.0", "Intersect multiple sorted sets and store the resulting sorted set in a new key")
            .keySpec("OW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("RO access", KeySpec.index(2), KeySpec.keynum(0, 1, 1))
            .complexity("O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.")
            .args(arg("destination", "key").keySpec(0),
                arg("numkeys", "integer"),
                arg("key", "key").keySpec(1).multiple(),
                arg("weight", "integer").token("WEIGHTS").optional().multiple(),
                arg("aggregate", "oneof").token("AGGREGATE").optional().of(
                    arg("sum", "pure-token").token("SUM"),
                    arg("min", "pure-token").token("MIN"),
                    arg("max", "pure-token").token("MAX")));
        t.add("zdiffstore", -4, ZSetCommands::zdiffstore).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).numkeys(2).acl(Acl.SORTEDSET)
            .doc("sorted-set", "6.2.0", "Subtract multiple sorted sets and store the resulting sorted set in a new key")
            .keySpec("OW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("RO access", KeySpec.index(2), KeySpec.keynum(0, 1, 1))
            .complexity("O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.")
            .args(arg("destination", "key").keySpec(0),
                arg("numkeys", "integer"),
                arg("key", "key").keySpec(1).multiple());
        t.add("zintercard", -3, ZSetCommands::zintercard).flags(Flag.READONLY).numkeys(1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "7.0.0", "Intersect multiple sorted sets and return the cardinality of the result")
            .keySpec("RO access", KeySpec.index(1), KeySpec.keynum(0, 1, 1))
            .complexity("O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.")
            .args(arg("numkeys", "integer"),
                arg("key", "key").keySpec(0).multiple(),
                arg("limit", "integer").token("LIMIT").optional());
        t.add("zpopmin", -2, ZSetCommands::zpopmin).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "5.0.0", "Remove and return members with the lowest scores in a sorted set")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.")
            .args(arg("key", "key").keySpec(0),
                arg("count", "integer").optional());
        t.add("zpopmax", -2, ZSetCommands::zpopmax).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "5.0.0", "Remove and return members with the highest scores in a sorted set")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.")
            .args(arg("key", "key").keySpec(0),
                arg("count", "integer").optional());
        t.add("zmpop", -4, ZSetCommands::zmpop).flags(Flag.WRITE).numkeys(1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "7.0.0", "Remove and return members with scores in a sorted set")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.keynum(0, 1, 1))
            .complexity("O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.")
            .args(arg("numkeys", "integer"),
                arg("key", "key").keySpec(0).multiple(),
                arg("where", "oneof").of(
                    arg("min", "pure-token").token("MIN"),
                    arg("max", "pure-token").token("MAX")),
                arg("count", "integer").token("COUNT").optional());
        t.add("bzpopmin", -3, ZSetCommands::bzpopmin).flags(Flag.WRITE, Flag.NOSCRIPT, Flag.BLOCKING, Flag.FAST).keys(1, -2, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "5.0.0", "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(-2, 1, 0))
            .complexity("O(log(N)) with N being the number of elements in the sorted set.")
            .args(arg("key", "key").keySpec(0).multiple(),
                arg("timeout", "double"))
            .history("6.0.0", "`timeout` is interpreted as a double instead of an integer.");
        t.add("bzpopmax", -3, ZSetCommands::bzpopmax).flags(Flag.WRITE, Flag.NOSCRIPT, Flag.BLOCKING, Flag.FAST).keys(1, -2, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "5.0.0", "Remove and return the member with the highest score from one or more sorted sets, or block until one is available")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(-2, 1, 0))
            .complexity("O(log(N)) with N being the number of elements in the sorted set.")
            .args(arg("key", "key").keySpec(0).multiple(),
                arg("timeout", "double"))
            .history("6.0.0", "`timeout` is interpreted as a double instead of an integer.");
        t.add("bzmpop", -5, ZSetCommands::bzmpop).flags(Flag.WRITE, Flag.BLOCKING).numkeys(2).acl(Acl.SORTEDSET)
            .doc("sorted-set", "7.0.0", "Remove and return members with scores in a sorted set or block until one is available")
            .keySpec("RW access delete", KeySpec.index(2), KeySpec.keynum(0, 1, 1))
            .complexity("O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.")
            .args(arg("timeout", "double"),
                arg("numkeys", "integer"),
                arg("key", "key").keySpec(0).multiple(),
                arg("where", "oneof").of(
                    arg("min", "pure-token").token("MIN"),
                    arg("max", "pure-token").token("MAX")),
                arg("count", "integer").token("COUNT").optional());
        t.add("zrandmember", -2, ZSetCommands::zrandmember).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "6.2.0", "Get one or multiple random elements from a sorted set").tips("nondeterministic_output")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the number of elements returned")
            .args(arg("key", "key").keySpec(0),
                arg("options", "block").optional().of(
                    arg("count", "integer"),
                    arg("withscores", "pure-token").token("WITHSCORES").optional()));
        t.add("zscan", -3, ZSetCommands::zscan).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.SORTEDSET)
            .doc("sorted-set", "2.8.0", "Incrementally iterate sorted sets elements and associated scores").tips("nondeterministic_output")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..")
            .args(arg("key", "key").keySpec(0),
                arg("cursor", "integer"),
                arg("pattern", "pattern").token("MATCH").optional(),
                arg("count", "integer").token("COUNT").optional());
    }

    private static boolean put(CommandContext c, ZSetValue z, byte[] m, double score) {
        Keyspace ks = c.keyspace();
        return z.put(m, score, ks.zsetMaxListpackEntries, ks.zsetMaxListpackValue);
    }

    /** A member and score, in RESP3 as a pair array when {@code nested}. */
    private static void pair(RespWriter r, byte[] m, double s, boolean nested) {
        if (nested) {
            r.array(2);
        }
        r.bulk(m);
        r.dbl(s);
    }

    // ---- ZADD, ZINCRBY, ZREM

    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GT = 4;
    private static final int LT = 8;
    private static final int CH = 16;
    private static final int INCR = 32;

    /** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] */
    public static void zadd(CommandContext c) {
        int flags = 0;
        int j = 2;
        for (; j < c.argc; j++) {
            int f = c.argIs(j, "NX") ? NX : c.argIs(j, "XX") ? XX : c.argIs(j, "GT") ? GT : c.argIs(j, "LT") ? LT
                : c.argIs(j, "CH") ? CH : c.argIs(j, "INCR") ? INCR : 0;
            if (f == 0) {
                break;
            }
            flags |= f;
        }
        int pairs = c.argc - j;
        if (pairs % 2 != 0 || pairs == 0) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        pairs /= 2;
        if ((flags & NX) != 0 && (flags & XX) != 0) {
            c.reply.error("ERR XX and NX options at the same time are not compatible");
            return;
        }
        if (((flags & GT) != 0 && (flags & LT) != 0) || ((flags & (GT | LT)) != 0 && (flags & NX) != 0)) {
            c.reply.error("ERR GT, LT, and/or NX options at the same time are not compatible");
            return;
        }
        if ((flags & INCR) != 0 && pairs > 1) {
            c.reply.error("ERR INCR option supports a single increment-element pair");
            return;
        }
        double[] scores = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            scores[i] = Args.score(c, j + 2 * i);
        }
        add(c, flags, j, scores, "zadd");
    }

    /** ZINCRBY key increment member */
    public static void zincrby(CommandContext c) {
        add(c, INCR, 2, new double[] {Args.score(c, 2)}, "zincr");
    }

    private static void add(CommandContext c, int flags, int first, double[] scores, String event) {
        Keyspace ks = c.keyspace();
        Database db = c.db();
        byte[] key = c.argv[1];
        Entry e = ks.write(db, key);
        ZSetValue z;
        boolean incr = (flags & INCR) != 0;
        if (e == null) {
            if ((flags & XX) != 0) {
                if (incr) {
                    c.reply.nullBulk();
                } else {
                    c.reply.integer(0);
                }
                return;
            }
            z = new ZSetValue(ks.zsetMaxListpackEntries > 0 && c.argv[first + 1].length <= ks.zsetMaxListpackValue);
            ks.add(db, key, z);
        } else if ((z = Values.as(c, e, ZSetValue.class)) == null) {
            return;
        }
        long added = 0;
        long updated = 0;
        double result = Double.NaN;
        for (int i = 0; i < scores.length; i++) {
            byte[] m = c.argv[first + 2 * i + 1];
            double score = scores[i];
            double cur = z.score(m);
            if (!Double.isNaN(cur)) {
                if ((flags & NX) != 0) {
                    continue;
                }
                if (incr) {
                    score += cur;
                    if (Double.isNaN(score)) {
                        c.reply.error("ERR resulting score is not a number (NaN)");
                        Values.dropIfEmpty(c, db, key, z);
                        return;
                    }
                }
                if (((flags & LT) != 0 && score >= cur) || ((flags & GT) != 0 && score <= cur)) {
                    continue;
                }
                result = score;
                if (score != cur) {
                    put(c, z, m, score);
                    updated++;
                }
            } else {
                if ((flags & XX) != 0) {
                    continue;
                }
                put(c, z, m, score);
                added++;
                result = score;
            }
        }
        if (added + updated > 0) {
            ks.notify(KeyspaceEvents.ZSET, incr ? "zincr" : event, key, db.id());
        }
        Values.dropIfEmpty(c, db, key, z);
        if (incr) {
            if (Double.isNaN(result)) {
                c.reply.nullBulk();
            } else {
                c.reply.dbl(result);
            }
        } else {
            c.reply.integer((flags & CH) != 0 ? added + updated : added);
        }
    }

    /** ZREM key member [member ...] */
    public static void zrem(CommandContext c) {
        Values.removeMembers(c, ZSetValue.class, KeyspaceEvents.ZSET, "zrem", ZSetValue::remove);
    }

    // ---- point reads

    /** ZCARD key */
    public static void zcard(CommandContext c) {
        ZSetValue z = Values.read(c, c.argv[1], ZSetValue.class, () -> c.reply.integer(0));
        if (z != null) {
            c.reply.integer(z.size());
        }
    }

    /** ZSCORE key member */
    public static void zscore(CommandContext c) {
        ZSetValue z = Values.read(c, c.argv[1], ZSetValue.class, c.reply::nullBulk);
        if (z != null) {
            double s = z.score(c.argv[2]);
            if (Double.isNaN(s)) {
                c.reply.nullBulk();
            } else {
                c.reply.dbl(s);
            }
        }
    }

    /** ZMSCORE key member [member ...] */
    public static void zmscore(CommandContext c) {
        Entry e = c.keyspace().read(c.db(), c.argv[1]);
        ZSetValue z = null;
        if (e != null && (z = Values.as(c, e, ZSetValue.class)) == null) {
            return;
        }
        c.reply.array(c.argc - 2);
        for (int i = 2; i < c.argc; i++) {
            double s = z == null ? Double.NaN : z.score(c.argv[i]);
            if (Double.isNaN(s)) {
                c.reply.nullBulk();
            } else {
                c.reply.dbl(s);
            }
        }
    }

    /** ZRANK key member */
    public static void zrank(CommandContext c) {
        rank(c, false);
    }

    /** ZREVRANK key member */
    public static void zrevrank(CommandContext c) {
        rank(c, true);
    }

    private static void rank(CommandContext c, boolean rev) {
        ZSetValue z = Values.read(c, c.argv[1], ZSetValue.class, c.reply::nullBulk);
        if (z != null) {
            long r = z.rank(c.argv[2]);
            if (r < 0) {
                c.reply.nullBulk();
            } else {
                c.reply.integer(rev ? z.size() - 1 - r : r);
            }
        }
    }

    // ---- ranges

    /** A range of ascending ranks, {@code from..to} inclusive (empty when from > to). */
    private record Ranks(long from, long to) {
        static final Ranks EMPTY = new Ranks(0, -1);

        long count() {
            return Math.max(0, to - from + 1);
        }
    }

    /**
     * A score bound: value and exclusiveness. Redis's
     * {@code zslParseRange}: "(" marks an exclusive bound; the number is C's strtod, unchecked
     * but for NaN and characters after the number before a NUL, C's end of string (so "" is 0,
     * " 1" is 1 and 1e400 is inf, as in Redis).
     */
    private static double[] scoreBound(CommandContext c, byte[] arg) {
        boolean ex = arg.length > 0 && arg[0] == '(';
        Numbers.Strtod d = Numbers.strtod(arg, ex ? 1 : 0);
        if ((d.end() != arg.length && arg[d.end()] != 0) || Double.isNaN(d.value())) {
            throw new CommandError(NOT_FLOAT_RANGE);
        }
        return new double[] {d.value(), ex ? 1 : 0};
    }

    /** The ranks whose scores lie within [min, max] (bounds from {@link #scoreBound}). */
    private static Ranks byScore(ZSetValue z, double[] min, double[] max) {
        long from = z.countBelow(min[0], min[1] != 0);
        long to = z.countBelow(max[0], max[1] == 0) - 1;
        return new Ranks(from, to);
    }

    /** A lex bound: {@code -}, {@code +}, {@code [x} or {@code (x}. */
    private record Lex(int kind, byte[] value) {
        static final int MIN = 0;
        static final int MAX = 1;
        static final int INCLUSIVE = 2;
        static final int EXCLUSIVE = 3;
    }

    private static Lex lexBound(byte[] arg) {
        if (arg.length == 1 && arg[0] == '-') {
            return new Lex(Lex.MIN, null);
        }
        if (arg.length == 1 && arg[0] == '+') {
            return new Lex(Lex.MAX, null);
        }
        if (arg.length >= 1 && (arg[0] == '[' || arg[0] == '(')) {
            return new Lex(arg[0] == '[' ? Lex.INCLUSIVE : Lex.EXCLUSIVE, Arrays.copyOfRange(arg, 1, arg.length));
        }
        return null;
    }

    /**
     * The ranks in a lex range, read {@code rev} (from the top) or not. Lex ranges are defined
     * only when all scores are equal; otherwise a listpack (small set) answers as Redis's walk
     * does ({@link #byLexWalk}), and a skip list as Redis's descent (on its own random levels).
     */
    private static Ranks byLex(ZSetValue z, Lex min, Lex max, boolean rev) {
        if (z.encoding().equals("listpack")) {
            return byLexWalk(z, min, max, rev);
        }
        long from = switch (min.kind) {
            case Lex.MIN -> 0;
            case Lex.MAX -> z.size();
            case Lex.INCLUSIVE -> z.countBelowLex(min.value, false);
            default -> z.countBelowLex(min.value, true);
        };
        long to = switch (max.kind) {
            case Lex.MIN -> -1;
            case Lex.MAX -> z.size() - 1;
            case Lex.INCLUSIVE -> z.countBelowLex(max.value, true) - 1;
            default -> z.countBelowLex(max.value, false) - 1;
        };
        return new Ranks(from, to);
    }

    /**
     * Redis's listpack lex walk ({@code zzlIsInLexRange}, then {@code zzlFirstInLexRange} or from
     * the top {@code zzlLastInLexRange}, then the members next to it while they stay in range):
     * the sorted answer when members are in lex order, and Redis's own when they are not.
     */
    private static Ranks byLexWalk(ZSetValue z, Lex min, Lex max, boolean rev) {
        int n = z.size();
        int cmp = compareLex(min, max);
        if (n == 0 || cmp > 0 || (cmp == 0 && (min.kind == Lex.EXCLUSIVE || max.kind == Lex.EXCLUSIVE))
            || !gteMin(z.memberAt(n - 1), min) || !lteMax(z.memberAt(0), max)) {
            return Ranks.EMPTY;
        }
        if (!rev) {
            int i = 0;
            while (i < n && !gteMin(z.memberAt(i), min)) {
                i++;
            }
            if (i == n || !lteMax(z.memberAt(i), max)) {
                return Ranks.EMPTY;
            }
            int j = i;
            while (j + 1 < n && lteMax(z.memberAt(j + 1), max)) {
                j++;
            }
            return new Ranks(i, j);
        }
        int j = n - 1;
        while (j >= 0 && !lteMax(z.memberAt(j), max)) {
            j--;
        }
        if (j < 0 || !gteMin(z.memberAt(j), min)) {
            return Ranks.EMPTY;
        }
        int i = j;
        while (i > 0 && gteMin(z.memberAt(i - 1), min)) {
            i--;
        }
        return new Ranks(i, j);
    }

    /** Redis's sdscmplex of two bounds: "-" below everything, "+" above. */
    private static int compareLex(Lex a, Lex b) {
        if (a.kind == b.kind && (a.kind == Lex.MIN || a.kind == Lex.MAX)) {
            return 0;
        }
        if (a.kind == Lex.MIN || b.kind == Lex.MAX) {
            return -1;
        }
        if (a.kind == Lex.MAX || b.kind == Lex.MIN) {
            return 1;
        }
        return Arrays.compareUnsigned(a.value, b.value);
    }

    private static boolean gteMin(byte[] m, Lex min) {
        return switch (min.kind) {
            case Lex.MIN -> true;
            case Lex.MAX -> false;
            case Lex.INCLUSIVE -> Arrays.compareUnsigned(m, min.value) >= 0;
            default -> Arrays.compareUnsigned(m, min.value) > 0;
        };
    }

    private static boolean lteMax(byte[] m, Lex max) {
        return switch (max.kind) {
            case Lex.MAX -> true;
            case Lex.MIN -> false;
            case Lex.INCLUSIVE -> Arrays.compareUnsigned(m, max.value) <= 0;
            default -> Arrays.compareUnsigned(m, max.value) < 0;
        };
    }

    /** Index arguments (negative from the end) to ascending ranks; {@code rev} counts from the top. */
    private static Ranks byIndex(ZSetValue z, long start, long end, boolean rev) {
        long n = z.size();
        long[] r = Args.indexRange(start, end, n);
        if (r[0] > r[1]) {
            return Ranks.EMPTY;
        }
        return rev ? new Ranks(n - 1 - r[1], n - 1 - r[0]) : new Ranks(r[0], r[1]);
    }

    /** ZCOUNT key min max */
    public static void zcount(CommandContext c) {
        double[] min = scoreBound(c, c.argv[2]);
        double[] max = scoreBound(c, c.argv[3]);
        ZSetValue z = Values.read(c, c.argv[1], ZSetValue.class, () -> c.reply.integer(0));
        if (z != null) {
            c.reply.integer(byScore(z, min, max).count());
        }
    }

    /** ZLEXCOUNT key min max */
    public static void zlexcount(CommandContext c) {
        Lex min = lexBound(c.argv[2]);
        Lex max = lexBound(c.argv[3]);
        if (min == null || max == null) {
            c.reply.error(NOT_LEX_RANGE);
            return;
        }
        ZSetValue z = Values.read(c, c.argv[1], ZSetValue.class, () -> c.reply.integer(0));
        if (z != null) {
            c.reply.integer(byLex(z, min, max, false).count());
        }
    }

    private static final int BY_INDEX = 0;
    private static final int BY_SCORE = 1;
    private static final int BY_LEX = 2;

    /** ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES] */
    public static void zrange(CommandContext c) {
        range(c, 1, BY_INDEX, false, true, null);
    }

    /** ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] */
    public static void zrangestore(CommandContext c) {
        range(c, 2, BY_INDEX, false, true, c.argv[1]);
    }

    /** ZREVRANGE key start stop [WITHSCORES] */
    public static void zrevrange(CommandContext c) {
        range(c, 1, BY_INDEX, true, false, null);
    }

    /** ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count] */
    public static void zrangebyscore(CommandContext c) {
        range(c, 1, BY_SCORE, false, false, null);
    }

    /** ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count] */
    public static void zrevrangebyscore(CommandContext c) {
        range(c, 1, BY_SCORE, true, false, null);
    }

    /** ZRANGEBYLEX key min max [LIMIT offset count] */
    public static void zrangebylex(CommandContext c) {
        range(c, 1, BY_LEX, false, false, null);
    }

    /** ZREVRANGEBYLEX key max min [LIMIT offset count] */
    public static void zrevrangebylex(CommandContext c) {
        range(c, 1, BY_LEX, true, false, null);
    }

    /**
     * Redis's {@code zrangeGenericCommand}: the source key at {@code keyAt}, the range after it,
     * options after that; {@code generic} allows BYSCORE/BYLEX/REV (ZRANGE, ZRANGESTORE);
     * {@code dst} stores the result instead of replying it.
     */
    private static void range(CommandContext c, int keyAt, int by, boolean rev, boolean generic, byte[] dst) {
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        boolean byGiven = false;
        boolean revGiven = false;
        for (int j = keyAt + 3; j < c.argc; j++) {
            int left = c.argc - j - 1;
            if (dst == null && c.argIs(j, "WITHSCORES")) {
                withScores = true;
            } else if (c.argIs(j, "LIMIT") && left >= 2) {
                offset = Args.longArg(c, j + 1);
                limit = Args.longArg(c, j + 2);
                j += 2;
            } else if (generic && !byGiven && c.argIs(j, "BYSCORE")) {
                by = BY_SCORE;
                byGiven = true;
            } else if (generic && !byGiven && c.argIs(j, "BYLEX")) {
                by = BY_LEX;
                byGiven = true;
            } else if (generic && !revGiven && c.argIs(j, "REV")) {
                rev = true;
                revGiven = true;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        // Redis tests the count, not the option: "LIMIT 5 -1" passes with an index range.
        if (limit != -1 && by == BY_INDEX) {
            c.reply.error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
            return;
        }
        if (withScores && by == BY_LEX) {
            c.reply.error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
            return;
        }
        // REV with a score or lex range takes the bounds as max then min.
        byte[] lo = c.argv[keyAt + (rev && by != BY_INDEX ? 2 : 1)];
        byte[] hi = c.argv[keyAt + (rev && by != BY_INDEX ? 1 : 2)];
        double[] smin = null;
        double[] smax = null;
        Lex lmin = null;
        Lex lmax = null;
        long start = 0;
        long end = 0;
        if (by == BY_INDEX) {
            start = Args.longArg(c, keyAt + 1);
            end = Args.longArg(c, keyAt + 2);
        } else if (by == BY_SCORE) {
            smin = scoreBound(c, lo);
            smax = scoreBound(c, hi);
        } else {
            lmin = lexBound(lo);
            lmax = lexBound(hi);
            if (lmin == null || lmax == null) {
                c.reply.error(NOT_LEX_RANGE);
                return;
            }
        }
        Entry e = c.keyspace().read(c.db(), c.argv[keyAt]);
        ZSetValue z = null;
        if (e != null && (z = Values.as(c, e, ZSetValue.class)) == null) {
            return;
        }
        Ranks ranks = z == null ? Ranks.EMPTY
            : by == BY_INDEX ? byIndex(z, start, end, rev) : by == BY_SCORE ? byScore(z, smin, smax) : byLex(z, lmin, lmax, rev);
        long from = ranks.from;
        long to = ranks.to;
        if (by != BY_INDEX && from <= to) {
            // LIMIT counts from the first member in the walking direction; a negative offset gives nothing.
            if (offset < 0) {
                to = from - 1;
            } else if (rev) {
                to -= offset;
                if (limit >= 0 && to - from + 1 > limit) {
                    from = to - limit + 1;
                }
            } else {
                from += offset;
                if (limit >= 0 && to - from + 1 > limit) {
                    to = from + limit - 1;
                }
            }
        }
        long n = Math.max(0, to - from + 1);
        if (dst != null) {
            store(c, dst, z, from, to, "zrangestore");
            return;
        }
        boolean nested = withScores && c.reply.resp() == 3;
        c.reply.array((int) (withScores && !nested ? 2 * n : n));
        if (n > 0) {
            boolean ws = withScores;
            z.range(from, to, rev, (m, s) -> {
                if (ws) {
                    pair(c.reply, m, s, nested);
                } else {
                    c.reply.bulk(m);
                }
            });
        }
    }

    /** Stores ranks {@code from..to} of {@code z} (may be null) at {@code dst}; replies the count. */
    private static void store(CommandContext c, byte[] dst, ZSetValue z, long from, long to, String event) {
        ZSetValue out = new ZSetValue(true);
        if (z != null && from <= to) {
            z.range(from, to, false, (m, s) -> put(c, out, m, s));
        }
        Values.store(c, dst, out, KeyspaceEvents.ZSET, event);
    }

    // ---- range removal

    /** ZREMRANGEBYRANK key start stop */
    public static void zremrangebyrank(CommandContext c) {
        removeRange(c, BY_INDEX, "zremrangebyrank");
    }

    /** ZREMRANGEBYSCORE key min max */
    public static void zremrangebyscore(CommandContext c) {
        removeRange(c, BY_SCORE, "zremrangebyscore");
    }

    /** ZREMRANGEBYLEX key min max */
    public static void zremrangebylex(CommandContext c) {
        removeRange(c, BY_LEX, "zremrangebylex");
    }

    private static void removeRange(CommandContext c, int by, String event) {
        long start = 0;
        long end = 0;
        double[] smin = null;
        double[] smax = null;
        Lex lmin = null;
        Lex lmax = null;
        if (by == BY_INDEX) {
            start = Args.longArg(c, 2);
            end = Args.longArg(c, 3);
        } else if (by == BY_SCORE) {
            smin = scoreBound(c, c.argv[2]);
            smax = scoreBound(c, c.argv[3]);
        } else {
            lmin = lexBound(c.argv[2]);
            lmax = lexBound(c.argv[3]);
            if (lmin == null || lmax == null) {
                c.reply.error(NOT_LEX_RANGE);
                return;
            }
        }
        Entry e = c.keyspace().write(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.integer(0);
            return;
        }
        ZSetValue z = Values.as(c, e, ZSetValue.class);
        if (z == null) {
            return;
        }
        Ranks r = by == BY_INDEX ? byIndex(z, start, end, false) : by == BY_SCORE ? byScore(z, smin, smax) : byLex(z, lmin, lmax, false);
        long n = r.count();
        if (n > 0) {
            List<byte[]> doomed = new ArrayList<>((int) n);
            z.range(r.from, r.to, false, (m, s) -> doomed.add(m));
            for (byte[] m : doomed) {
                z.remove(m);
            }
            c.keyspace().notify(KeyspaceEvents.ZSET, event, c.argv[1], c.db().id());
            Values.dropIfEmpty(c, c.db(), c.argv[1], z);
        }
        c.reply.integer(n);
    }

    // ---- pops

    /** ZPOPMIN key [count] */
    public static void zpopmin(CommandContext c) {
        popCommand(c, false);
    }

    /** ZPOPMAX key [count] */
    public static void zpopmax(CommandContext c) {
        popCommand(c, true);
    }

    private static void popCommand(CommandContext c, boolean max) {
        if (c.argc > 3) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        long count = Args.popCount(c);
        Entry e = c.keyspace().write(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.emptyArray();
            return;
        }
        ZSetValue z = Values.as(c, e, ZSetValue.class);
        if (z == null) {
            return;
        }
        if (count == 0) {
            c.reply.emptyArray();
            return;
        }
        boolean nested = count > 0 && c.reply.resp() == 3;
        int n = (int) Math.min(count < 0 ? 1 : count, z.size());
        c.reply.array(nested ? n : 2 * n);
        pop(c, z, n, max, nested);
        popped(c, c.db(), c.argv[1], z, max);
    }

    /** Pops {@code n} members from one end, replying each as a member and score. */
    private static void pop(CommandContext c, ZSetValue z, int n, boolean max, boolean nested) {
        for (int i = 0; i < n; i++) {
            long rank = max ? z.size() - 1 : 0;
            byte[] m = z.memberAt(rank);
            double s = z.scoreAt(rank);
            z.remove(m);
            pair(c.reply, m, s, nested);
        }
    }

    private static void popped(CommandContext c, Database db, byte[] key, ZSetValue z, boolean max) {
        c.keyspace().notify(KeyspaceEvents.ZSET, max ? "zpopmax" : "zpopmin", key, db.id());
        Values.dropIfEmpty(c, db, key, z);
    }

    /** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
    public static void zmpop(CommandContext c) {
        MultiKeyPop.mpop(c, 1, -1, "MIN", "MAX", ZSetValue.class, ZSetCommands::popFrom);
    }

    /** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
    public static void bzmpop(CommandContext c) {
        MultiKeyPop.mpop(c, 2, 1, "MIN", "MAX", ZSetValue.class, ZSetCommands::popFrom);
    }

    /** The pop of the sorted-set commands over several keys, and its reply (see {@link MultiKeyPop.Pop}). */
    private static void popFrom(CommandContext c, byte[] key, Collection value, boolean min, long count) {
        ZSetValue z = (ZSetValue) value;
        boolean max = !min;
        if (count < 0) {
            c.reply.array(3);
            c.reply.bulk(key);
            pop(c, z, 1, max, false);
            popped(c, c.db(), key, z, max);
            c.propagateAs = new byte[][] {max ? Effects.ZPOPMAX : Effects.ZPOPMIN, key};
            return;
        }
        int n = (int) Math.min(count, z.size());
        c.reply.array(2);
        c.reply.bulk(key);
        c.reply.array(n);
        pop(c, z, n, max, true);
        popped(c, c.db(), key, z, max);
        c.propagateAs = new byte[][] {max ? Effects.ZPOPMAX : Effects.ZPOPMIN, key, Numbers.toBytes(n)};
    }

    /** BZPOPMIN key [key ...] timeout */
    public static void bzpopmin(CommandContext c) {
        MultiKeyPop.bpop(c, ZSetValue.class, true, ZSetCommands::popFrom);
    }

    /** BZPOPMAX key [key ...] timeout */
    public static void bzpopmax(CommandContext c) {
        MultiKeyPop.bpop(c, ZSetValue.class, false, ZSetCommands::popFrom);
    }

    // ---- random, scan

    /** ZRANDMEMBER key [count [WITHSCORES]] */
    public static void zrandmember(CommandContext c) {
        if (c.argc == 2) {
            ZSetValue z = Values.read(c, c.argv[1], ZSetValue.class, c.reply::nullBulk);
            if (z != null) {
                c.reply.bulk(z.memberAt(z.randomRank()));
            }
            return;
        }
        long count = Args.randomCount(c, "WITHSCORES");
        boolean withScores = c.argc == 4;
        ZSetValue z = Values.read(c, c.argv[1], ZSetValue.class, c.reply::emptyArray);
        if (z == null) {
            return;
        }
        int[] picks = HashCommands.pick(count, z.size());
        boolean nested = withScores && c.reply.resp() == 3;
        c.reply.array(withScores && !nested ? 2 * picks.length : picks.length);
        for (int i : picks) {
            if (withScores) {
                pair(c.reply, z.memberAt(i), z.scoreAt(i), nested);
            } else {
                c.reply.bulk(z.memberAt(i));
            }
        }
    }

    /** ZSCAN key cursor [MATCH pattern] [COUNT count] */
    public static void zscan(CommandContext c) {
        long cursor = Scan.parseCursor(c.argv[2]);
        ZSetValue z = Values.read(c, c.argv[1], ZSetValue.class, () -> Scan.emptyScan(c));
        if (z == null) {
            return;
        }
        Scan.scan(c, cursor, z.dict(), 2, items -> z.range(0, z.size() - 1, false, (m, s) -> {
            items.add(m);
            items.add(Numbers.formatDouble(s).getBytes(StandardCharsets.US_ASCII));
        }), (node, items) -> {
            items.add(node.key());
            items.add(Numbers.formatDouble(ZSetValue.nodeScore(node)).getBytes(StandardCharsets.US_ASCII));
        });
    }

    // ---- algebra: ZUNION, ZINTER, ZDIFF and their STORE forms, ZINTERCARD

    private static final int UNION = 0;
    private static final int INTER = 1;
    private static final int DIFF = 2;
    private static final String[] OP_NAMES = {"zunion", "zinter", "zdiff"};

    /** ZUNION numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
    public static void zunion(CommandContext c) {
        algebra(c, UNION, false);
    }

    /** ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
    public static void zinter(CommandContext c) {
        algebra(c, INTER, false);
    }

    /** ZDIFF numkeys key [key ...] [WITHSCORES] */
    public static void zdiff(CommandContext c) {
        algebra(c, DIFF, false);
    }

    /** ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] */
    public static void zunionstore(CommandContext c) {
        algebra(c, UNION, true);
    }

    /** ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] */
    public static void zinterstore(CommandContext c) {
        algebra(c, INTER, true);
    }

    /** ZDIFFSTORE destination numkeys key [key ...] */
    public static void zdiffstore(CommandContext c) {
        algebra(c, DIFF, true);
    }

    /** A source of ZUNION and friends: a sorted set, or a plain set whose members score 1. */
    private interface Source {
        int size();

        double score(byte[] m);

        void forEach(ZSetValue.Visitor v);
    }

    /**
     * The sources named by {@code numkeys} keys from {@code at + 1} (null for a missing key), or
     * null after replying WRONGTYPE.
     */
    private static Source[] sources(CommandContext c, int at, int numkeys) {
        Source[] out = new Source[numkeys];
        for (int i = 0; i < numkeys; i++) {
            Entry e = c.keyspace().peek(c.db(), c.argv[at + 1 + i]);
            if (e == null) {
                continue;
            }
            if (e.value() instanceof ZSetValue z) {
                out[i] = new Source() {
                    public int size() {
                        return z.size();
                    }

                    public double score(byte[] m) {
                        return z.score(m);
                    }

                    public void forEach(ZSetValue.Visitor v) {
                        z.range(0, z.size() - 1, false, v);
                    }
                };
            } else if (e.value() instanceof SetValue s) {
                out[i] = new Source() {
                    public int size() {
                        return s.size();
                    }

                    public double score(byte[] m) {
                        return s.contains(m) ? 1.0 : Double.NaN;
                    }

                    public void forEach(ZSetValue.Visitor v) {
                        s.forEach(m -> v.visit(m, 1.0));
                    }
                };
            } else {
                c.reply.error(Errors.WRONGTYPE);
                return null;
            }
        }
        return out;
    }

    private static final int SUM = 0;
    private static final int MIN = 1;
    private static final int MAX = 2;

    private static double aggregate(int how, double acc, double v) {
        switch (how) {
            case MIN:
                return Math.min(acc, v);
            case MAX:
                return Math.max(acc, v);
            default:
                double r = acc + v;
                return Double.isNaN(r) ? 0.0 : r; // inf + -inf
        }
    }

    private static void algebra(CommandContext c, int op, boolean store) {
        int at = store ? 2 : 1;
        String name = OP_NAMES[op] + (store ? "store" : "");
        long numkeysArg = Args.longArg(c, at);
        if (numkeysArg < 1) {
            c.reply.error("ERR at least 1 input key is needed for '" + name + "' command");
            return;
        }
        if (numkeysArg > c.argc - at - 1) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        int numkeys = (int) numkeysArg;
        // The keys' types are checked before the options are parsed, as in Redis.
        Source[] src = sources(c, at, numkeys);
        if (src == null) {
            return;
        }
        double[] weights = new double[numkeys];
        Arrays.fill(weights, 1.0);
        int how = SUM;
        boolean withScores = false;
        for (int j = at + 1 + numkeys; j < c.argc; j++) {
            int left = c.argc - j - 1;
            if (op != DIFF && c.argIs(j, "WEIGHTS") && left >= numkeys) {
                for (int i = 0; i < numkeys; i++) {
                    weights[i] = Numbers.parseDouble(c.argv[j + 1 + i]);
                    if (Double.isNaN(weights[i])) {
                        c.reply.error("ERR weight value is not a float");
                        return;
                    }
                }
                j += numkeys;
            } else if (op != DIFF && c.argIs(j, "AGGREGATE") && left >= 1) {
                if (c.argIs(j + 1, "SUM")) {
                    how = SUM;
                } else if (c.argIs(j + 1, "MIN")) {
                    how = MIN;
                } else if (c.argIs(j + 1, "MAX")) {
                    how = MAX;
                } else {
                    c.reply.error(Errors.SYNTAX);
                    return;
                }
                j++;
            } else if (!store && c.argIs(j, "WITHSCORES")) {
                withScores = true;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        ZSetValue out = new ZSetValue(true);
        Map<ByteBuffer, double[]> acc = combine(src, weights, op, how);
        Keyspace ks = c.keyspace();
        for (Map.Entry<ByteBuffer, double[]> me : acc.entrySet()) {
            out.put(me.getKey().array(), me.getValue()[0], ks.zsetMaxListpackEntries, ks.zsetMaxListpackValue);
        }
        if (store) {
            Values.store(c, c.argv[1], out, KeyspaceEvents.ZSET, name);
            return;
        }
        int n = out.size();
        boolean nested = withScores && c.reply.resp() == 3;
        c.reply.array(withScores && !nested ? 2 * n : n);
        boolean ws = withScores;
        out.range(0, n - 1, false, (m, s) -> {
            if (ws) {
                pair(c.reply, m, s, nested);
            } else {
                c.reply.bulk(m);
            }
        });
    }

    /** The members and scores of a union, intersection or difference. */
    private static Map<ByteBuffer, double[]> combine(Source[] src, double[] weights, int op, int how) {
        Map<ByteBuffer, double[]> acc = new LinkedHashMap<>();
        if (op == UNION) {
            for (int i = 0; i < src.length; i++) {
                if (src[i] == null) {
                    continue;
                }
                double w = weights[i];
                src[i].forEach((m, s) -> {
                    double v = weighted(s, w);
                    double[] cur = acc.get(ByteBuffer.wrap(m));
                    if (cur == null) {
                        acc.put(ByteBuffer.wrap(m), new double[] {v});
                    } else {
                        cur[0] = aggregate(how, cur[0], v);
                    }
                });
            }
            return acc;
        }
        if (op == INTER) {
            for (Source s : src) {
                if (s == null) {
                    return acc;
                }
            }
            Integer[] order = new Integer[src.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Integer.compare(src[a].size(), src[b].size()));
            int first = order[0];
            src[first].forEach((m, s) -> {
                double v = weighted(s, weights[first]);
                for (int k = 1; k < order.length; k++) {
                    int i = order[k];
                    double o = src[i].score(m);
                    if (Double.isNaN(o)) {
                        return;
                    }
                    v = aggregate(how, v, weighted(o, weights[i]));
                }
                acc.put(ByteBuffer.wrap(m), new double[] {v});
            });
            return acc;
        }
        if (src[0] == null) {
            return acc;
        }
        src[0].forEach((m, s) -> {
            for (int i = 1; i < src.length; i++) {
                if (src[i] != null && !Double.isNaN(src[i].score(m))) {
                    return;
                }
            }
            acc.put(ByteBuffer.wrap(m), new double[] {s});
        });
        return acc;
    }

    private static double weighted(double score, double weight) {
        double v = score * weight;
        return Double.isNaN(v) ? 0.0 : v; // inf * 0
    }

    /** ZINTERCARD numkeys key [key ...] [LIMIT limit] */
    public static void zintercard(CommandContext c) {
        long numkeysArg = Args.longArg(c, 1);
        if (numkeysArg < 1) {
            c.reply.error("ERR at least 1 input key is needed for 'zintercard' command");
            return;
        }
        if (numkeysArg > c.argc - 2) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        int numkeys = (int) numkeysArg;
        // Unlike SINTERCARD, Redis checks the keys' types before it parses LIMIT.
        Source[] src = sources(c, 1, numkeys);
        if (src == null) {
            return;
        }
        long limit = Args.limitOption(c, 2 + numkeys);
        double[] weights = new double[numkeys];
        long n = combine(src, weights, INTER, SUM).size();
        c.reply.integer(limit > 0 ? Math.min(limit, n) : n);
    }
}
