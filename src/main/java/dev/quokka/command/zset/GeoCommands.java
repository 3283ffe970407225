package dev.quokka.command.zset;

import dev.quokka.command.Acl;
import dev.quokka.command.ArgumentDoc;
import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandError;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.command.Values;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.keyspace.ZSetValue;
import dev.quokka.protocol.Numbers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static dev.quokka.command.ArgumentDoc.arg;

/**
 * The GEO commands (Redis's {@code geo.c}): points stored in a sorted set whose scores are 52-bit
 * geohashes ({@link Geohash}), searched by radius or box over the centre's cell and its eight
 * neighbours, with Redis's distances, rounding and reply shapes.
 */
public final class GeoCommands {
    private GeoCommands() {
    }

    /** Declares the GEO commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("geoadd", -5, GeoCommands::geoadd).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl(Acl.GEO)
            .doc("geo", "3.2.0", "Add one or more geospatial items in the geospatial index represented using a sorted set")
            .complexity("O(log(N)) for each item added, where N is the number of elements in the sorted set.")
            .keySpec("RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("condition", "oneof").since("6.2.0").optional().of(
                    arg("nx", "pure-token").token("NX"),
                    arg("xx", "pure-token").token("XX")),
                arg("change", "pure-token").token("CH").since("6.2.0").optional(),
                arg("longitude_latitude_member", "block").multiple().of(
                    arg("longitude", "double"),
                    arg("latitude", "double"),
                    arg("member", "string")))
            .history("6.2.0", "Added the `CH`, `NX` and `XX` options.");
        t.add("geodist", -4, GeoCommands::geodist).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.GEO)
            .doc("geo", "3.2.0", "Returns the distance between two members of a geospatial index")
            .complexity("O(log(N))")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("member1", "string"),
                arg("member2", "string"),
                unit().optional());
        t.add("geohash", -2, GeoCommands::geohash).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.GEO)
            .doc("geo", "3.2.0", "Returns members of a geospatial index as standard geohash strings")
            .complexity("O(log(N)) for each member requested, where N is the number of elements in the sorted set.")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("member", "string").multiple());
        t.add("geopos", -2, GeoCommands::geopos).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.GEO)
            .doc("geo", "3.2.0", "Returns longitude and latitude of members of a geospatial index")
            .complexity("O(N) where N is the number of members requested.")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("member", "string").multiple());
        t.add("georadius", -6, GeoCommands::georadius).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl(Acl.GEO)
            .doc("geo", "3.2.0", "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point")
            .complexity("O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.")
            .deprecated("6.2.0", "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("OW update", KeySpec.keyword("STORE", 6), KeySpec.range(0, 1, 0))
            .keySpec("OW update", KeySpec.keyword("STOREDIST", 6), KeySpec.range(0, 1, 0))
            .args(radiusArgs("6.2.0", true, arg("longitude", "double"), arg("latitude", "double")))
            .history("6.2.0", "Added the `ANY` option for `COUNT`.")
            .history("7.0.0", "Added support for uppercase unit names.");
        t.add("georadius_ro", -6, GeoCommands::georadiusRo).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.GEO)
            .doc("geo", "3.2.10", "A read-only variant for GEORADIUS")
            .complexity("O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.")
            .deprecated("6.2.0", "`GEOSEARCH` with the `BYRADIUS` argument")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(radiusArgs("6.2.0", false, arg("longitude", "double"), arg("latitude", "double")))
            .history("6.2.0", "Added the `ANY` option for `COUNT`.");
        t.add("georadiusbymember", -5, GeoCommands::georadiusByMember).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl(Acl.GEO)
            .doc("geo", "3.2.0", "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member")
            .complexity("O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.")
            .deprecated("6.2.0", "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("OW update", KeySpec.keyword("STORE", 5), KeySpec.range(0, 1, 0))
            .keySpec("OW update", KeySpec.keyword("STOREDIST", 5), KeySpec.range(0, 1, 0))
            .args(radiusArgs(null, true, arg("member", "string")))
            .history("7.0.0", "Added support for uppercase unit names.");
        t.add("georadiusbymember_ro", -5, GeoCommands::georadiusByMemberRo).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.GEO)
            .doc("geo", "3.2.10", "A read-only variant for GEORADIUSBYMEMBER")
            .complexity("O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.")
            .deprecated("6.2.0", "`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(radiusArgs(null, false, arg("member", "string")));
        t.add("geosearch", -7, GeoCommands::geosearch).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.GEO)
            .doc("geo", "6.2.0", "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.")
            .complexity("O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                from(),
                by(),
                order(),
                count(null),
                arg("withcoord", "pure-token").token("WITHCOORD").optional(),
                arg("withdist", "pure-token").token("WITHDIST").optional(),
                arg("withhash", "pure-token").token("WITHHASH").optional())
            .history("7.0.0", "Added support for uppercase unit names.");
        t.add("geosearchstore", -8, GeoCommands::geosearchstore).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 2, 1).acl(Acl.GEO)
            .doc("geo", "6.2.0", "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.")
            .complexity("O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape")
            .keySpec("OW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("RO access", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("destination", "key").keySpec(0),
                arg("source", "key").keySpec(1),
                from(),
                by(),
                order(),
                count(null),
                arg("storedist", "pure-token").token("STOREDIST").optional())
            .history("7.0.0", "Added support for uppercase unit names.");
    }

    /**
     * GEORADIUS's and GEORADIUSBYMEMBER's arguments (COMMAND DOCS): the key, the centre, radius
     * and unit, the WITH options, COUNT (ANY since {@code anySince}), the order, and for the
     * writing variants STORE and STOREDIST.
     */
    private static ArgumentDoc[] radiusArgs(String anySince, boolean store, ArgumentDoc... centre) {
        java.util.List<ArgumentDoc> args = new ArrayList<>();
        args.add(arg("key", "key").keySpec(0));
        args.addAll(java.util.List.of(centre));
        args.addAll(java.util.List.of(arg("radius", "double"),
            unit(),
            arg("withcoord", "pure-token").token("WITHCOORD").optional(),
            arg("withdist", "pure-token").token("WITHDIST").optional(),
            arg("withhash", "pure-token").token("WITHHASH").optional(),
            count(anySince),
            order()));
        if (store) {
            args.add(arg("key", "key").keySpec(1).token("STORE").optional());
            args.add(arg("key", "key").keySpec(2).token("STOREDIST").optional());
        }
        return args.toArray(new ArgumentDoc[0]);
    }

    /** The distance unit argument of the GEO commands (COMMAND DOCS). */
    private static ArgumentDoc unit() {
        return arg("unit", "oneof").of(
            arg("m", "pure-token").token("M"),
            arg("km", "pure-token").token("KM"),
            arg("ft", "pure-token").token("FT"),
            arg("mi", "pure-token").token("MI"));
    }

    private static ArgumentDoc order() {
        return arg("order", "oneof").optional().of(
            arg("asc", "pure-token").token("ASC"),
            arg("desc", "pure-token").token("DESC"));
    }

    /** COUNT count [ANY]; {@code anySince}: the version ANY came in, where COMMAND DOCS says it. */
    private static ArgumentDoc count(String anySince) {
        ArgumentDoc any = arg("any", "pure-token").token("ANY");
        if (anySince != null) {
            any.since(anySince);
        }
        return arg("count", "block").optional().of(
            arg("count", "integer").token("COUNT"),
            any.optional());
    }

    private static ArgumentDoc from() {
        return arg("from", "oneof").of(
            arg("member", "string").token("FROMMEMBER"),
            arg("longitude_latitude", "block").token("FROMLONLAT").of(
                arg("longitude", "double"),
                arg("latitude", "double")));
    }

    private static ArgumentDoc by() {
        return arg("by", "oneof").of(
            arg("circle", "block").of(
                arg("radius", "double").token("BYRADIUS"),
                unit()),
            arg("box", "block").of(
                arg("width", "double").token("BYBOX"),
                arg("height", "double"),
                unit()));
    }

    /** Redis's extractLongLatOrReply: {longitude, latitude} from two arguments, within Redis's limits. */
    private static double[] lonLat(CommandContext c, int i) {
        double lon = Args.score(c, i);
        double lat = Args.score(c, i + 1);
        if (lon < Geohash.LONG_MIN || lon > Geohash.LONG_MAX || lat < Geohash.LAT_MIN || lat > Geohash.LAT_MAX) {
            throw new CommandError("ERR invalid longitude,latitude pair " + Numbers.printfF(lon) + "," + Numbers.printfF(lat));
        }
        return new double[] {lon, lat};
    }

    /** Redis's extractUnitOrReply: metres per unit. */
    private static double unit(CommandContext c, int i) {
        if (c.argIs(i, "m")) {
            return 1;
        } else if (c.argIs(i, "km")) {
            return 1000;
        } else if (c.argIs(i, "ft")) {
            return 0.3048;
        } else if (c.argIs(i, "mi")) {
            return 1609.34;
        }
        throw new CommandError("ERR unsupported unit provided. please use M, KM, FT, MI");
    }

    private static double number(CommandContext c, int i, String error) {
        double d = Numbers.parseDouble(c.argv[i]);
        if (Double.isNaN(d)) {
            throw new CommandError(error);
        }
        return d;
    }

    /** Radius and unit at {@code i}: sets the shape's radius and conversion. */
    private static void radius(CommandContext c, int i, Geohash.Shape s) {
        double r = number(c, i, "ERR need numeric radius");
        if (r < 0) {
            throw new CommandError("ERR radius cannot be negative");
        }
        s.radius = r;
        s.conversion = unit(c, i + 1);
        s.box = false;
    }

    /** A member's point, or null when it is not in the set. */
    private static double[] memberPoint(ZSetValue z, byte[] member) {
        double score = z.score(member);
        return Double.isNaN(score) ? null : Geohash.decode(score);
    }

    private static ZSetValue readZSet(CommandContext c, byte[] key) {
        Entry e = c.keyspace().read(c.db(), key);
        if (e == null) {
            return null;
        }
        if (!(e.value() instanceof ZSetValue z)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return z;
    }

    /** GEOADD key [NX|XX] [CH] longitude latitude member [...]: ZADD of the members' geohashes, and propagated as that ZADD. */
    public static void geoadd(CommandContext c) {
        boolean xx = false;
        boolean nx = false;
        int longIdx = 2;
        while (longIdx < c.argc) {
            if (c.argIs(longIdx, "nx")) {
                nx = true;
            } else if (c.argIs(longIdx, "xx")) {
                xx = true;
            } else if (!c.argIs(longIdx, "ch")) {
                break;
            }
            longIdx++;
        }
        if ((c.argc - longIdx) % 3 != 0 || (xx && nx)) {
            throw new CommandError(Errors.SYNTAX);
        }
        int elements = (c.argc - longIdx) / 3;
        byte[][] zadd = new byte[longIdx + elements * 2][];
        zadd[0] = ZADD;
        System.arraycopy(c.argv, 1, zadd, 1, longIdx - 1);
        for (int i = 0; i < elements; i++) {
            double[] xy = lonLat(c, longIdx + i * 3);
            long bits = Geohash.align52(Geohash.encode(xy[0], xy[1], Geohash.STEP_MAX));
            zadd[longIdx + i * 2] = Numbers.toBytes(bits);
            zadd[longIdx + 1 + i * 2] = c.argv[longIdx + i * 3 + 2];
        }
        byte[][] argv = c.argv;
        int argc = c.argc;
        c.argv = zadd;
        c.argc = zadd.length;
        try {
            ZSetCommands.zadd(c);
        } finally {
            c.argv = argv;
            c.argc = argc;
        }
        c.propagateAs = zadd;
    }

    private static final byte[] ZADD = "zadd".getBytes(StandardCharsets.US_ASCII);

    /** GEODIST key member1 member2 [M|KM|FT|MI] */
    public static void geodist(CommandContext c) {
        double toMeter = 1;
        if (c.argc == 5) {
            toMeter = unit(c, 4);
        } else if (c.argc > 5) {
            throw new CommandError(Errors.SYNTAX);
        }
        ZSetValue z = readZSet(c, c.argv[1]);
        if (z == null) {
            c.reply.nullBulk();
            return;
        }
        double[] a = memberPoint(z, c.argv[2]);
        double[] b = a == null ? null : memberPoint(z, c.argv[3]);
        if (b == null) {
            c.reply.nullBulk();
            return;
        }
        c.reply.bulk(Geohash.formatDistance(Geohash.distance(a[0], a[1], b[0], b[1]) / toMeter));
    }

    private static final char[] GEO_ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz".toCharArray();

    /** GEOHASH key [member ...]: the standard 11-character geohash (re-encoded over latitude ±90). */
    public static void geohash(CommandContext c) {
        ZSetValue z = readZSet(c, c.argv[1]);
        c.reply.array(c.argc - 2);
        for (int j = 2; j < c.argc; j++) {
            double[] xy = z == null ? null : memberPoint(z, c.argv[j]);
            Geohash.Cell cell = xy == null ? null : Geohash.encode(-180, 180, -90, 90, xy[0], xy[1], 26);
            if (cell == null) {
                c.reply.nullBulk();
                continue;
            }
            char[] buf = new char[11];
            for (int i = 0; i < 11; i++) {
                int idx = i == 10 ? 0 : (int) ((cell.bits() >>> (52 - (i + 1) * 5)) & 0x1f);
                buf[i] = GEO_ALPHABET[idx];
            }
            c.reply.bulk(new String(buf));
        }
    }

    /** GEOPOS key [member ...] */
    public static void geopos(CommandContext c) {
        ZSetValue z = readZSet(c, c.argv[1]);
        c.reply.array(c.argc - 2);
        for (int j = 2; j < c.argc; j++) {
            double[] xy = z == null ? null : memberPoint(z, c.argv[j]);
            if (xy == null) {
                c.reply.nullArray();
                continue;
            }
            c.reply.array(2);
            c.reply.humanDouble(xy[0]);
            c.reply.humanDouble(xy[1]);
        }
    }

    private static final int RADIUS_COORDS = 1;
    private static final int RADIUS_MEMBER = 2;
    private static final int RADIUS_NOSTORE = 4;
    private static final int GEOSEARCH = 8;
    private static final int GEOSEARCHSTORE = 16;

    public static void georadius(CommandContext c) {
        search(c, 1, RADIUS_COORDS);
    }

    public static void georadiusRo(CommandContext c) {
        search(c, 1, RADIUS_COORDS | RADIUS_NOSTORE);
    }

    public static void georadiusByMember(CommandContext c) {
        search(c, 1, RADIUS_MEMBER);
    }

    public static void georadiusByMemberRo(CommandContext c) {
        search(c, 1, RADIUS_MEMBER | RADIUS_NOSTORE);
    }

    public static void geosearch(CommandContext c) {
        search(c, 1, GEOSEARCH);
    }

    public static void geosearchstore(CommandContext c) {
        search(c, 2, GEOSEARCH | GEOSEARCHSTORE);
    }

    /** A point found by a search. */
    private record Point(byte[] member, double score, double longitude, double latitude, double dist) {
    }

    /** Redis's georadiusGeneric: GEORADIUS[BYMEMBER][_RO], GEOSEARCH and GEOSEARCHSTORE. */
    private static void search(CommandContext c, int srcKeyIndex, int flags) {
        ZSetValue z = readZSet(c, c.argv[srcKeyIndex]);
        Geohash.Shape shape = new Geohash.Shape();
        byte[] storeKey = null;
        boolean storeDist = false;
        int baseArgs;
        if ((flags & RADIUS_COORDS) != 0) {
            baseArgs = 6;
            double[] xy = lonLat(c, 2);
            shape.longitude = xy[0];
            shape.latitude = xy[1];
            radius(c, 4, shape);
        } else if ((flags & RADIUS_MEMBER) != 0) {
            baseArgs = 5;
            if (z != null) {
                double[] xy = memberPoint(z, c.argv[2]);
                if (xy == null) {
                    throw new CommandError("ERR could not decode requested zset member");
                }
                shape.longitude = xy[0];
                shape.latitude = xy[1];
                radius(c, 3, shape);
            }
        } else {
            baseArgs = 2;
            if ((flags & GEOSEARCHSTORE) != 0) {
                baseArgs = 3;
                storeKey = c.argv[1];
            }
        }
        boolean withDist = false;
        boolean withHash = false;
        boolean withCoords = false;
        boolean fromMember = false;
        boolean fromLoc = false;
        boolean byRadius = false;
        boolean byBox = false;
        int sort = 0;
        boolean any = false;
        long count = 0;
        boolean search = (flags & GEOSEARCH) != 0;
        boolean noStore = (flags & RADIUS_NOSTORE) != 0;
        int remaining = c.argc - baseArgs;
        for (int i = 0; i < remaining; i++) {
            int a = baseArgs + i;
            if (c.argIs(a, "withdist")) {
                withDist = true;
            } else if (c.argIs(a, "withhash")) {
                withHash = true;
            } else if (c.argIs(a, "withcoord")) {
                withCoords = true;
            } else if (c.argIs(a, "any")) {
                any = true;
            } else if (c.argIs(a, "asc")) {
                sort = 1;
            } else if (c.argIs(a, "desc")) {
                sort = 2;
            } else if (c.argIs(a, "count") && i + 1 < remaining) {
                count = Args.longArg(c, a + 1);
                if (count <= 0) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                i++;
            } else if (c.argIs(a, "store") && i + 1 < remaining && !noStore && !search) {
                storeKey = c.argv[a + 1];
                storeDist = false;
                i++;
            } else if (c.argIs(a, "storedist") && i + 1 < remaining && !noStore && !search) {
                storeKey = c.argv[a + 1];
                storeDist = true;
                i++;
            } else if (c.argIs(a, "storedist") && search && (flags & GEOSEARCHSTORE) != 0) {
                storeDist = true;
            } else if (c.argIs(a, "frommember") && i + 1 < remaining && search && !fromLoc) {
                if (z != null) {
                    double[] xy = memberPoint(z, c.argv[a + 1]);
                    if (xy == null) {
                        throw new CommandError("ERR could not decode requested zset member");
                    }
                    shape.longitude = xy[0];
                    shape.latitude = xy[1];
                }
                fromMember = true;
                i++;
            } else if (c.argIs(a, "fromlonlat") && i + 2 < remaining && search && !fromMember) {
                double[] xy = lonLat(c, a + 1);
                shape.longitude = xy[0];
                shape.latitude = xy[1];
                fromLoc = true;
                i += 2;
            } else if (c.argIs(a, "byradius") && i + 2 < remaining && search && !byBox) {
                radius(c, a + 1, shape);
                byRadius = true;
                i += 2;
            } else if (c.argIs(a, "bybox") && i + 3 < remaining && search && !byRadius) {
                double w = number(c, a + 1, "ERR need numeric width");
                double h = number(c, a + 2, "ERR need numeric height");
                if (h < 0 || w < 0) {
                    throw new CommandError("ERR height or width cannot be negative");
                }
                shape.width = w;
                shape.height = h;
                shape.conversion = unit(c, a + 3);
                shape.box = true;
                byBox = true;
                i += 3;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (storeKey != null && (withDist || withHash || withCoords)) {
            throw new CommandError("ERR " + ((flags & GEOSEARCHSTORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        String name = new String(c.argv[0], StandardCharsets.ISO_8859_1);
        if (search && !(fromMember || fromLoc)) {
            throw new CommandError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + name);
        }
        if (search && !(byRadius || byBox)) {
            throw new CommandError("ERR exactly one of BYRADIUS and BYBOX can be specified for " + name);
        }
        if (any && count == 0) {
            throw new CommandError("ERR the ANY argument requires COUNT argument");
        }
        if (z == null) {
            if (storeKey != null) {
                Values.store(c, storeKey, null, KeyspaceEvents.ZSET, "");
            } else {
                c.reply.emptyArray();
            }
            return;
        }
        if (count != 0 && sort == 0 && !any) {
            sort = 1;
        }
        List<Point> found = new ArrayList<>();
        long limit = any ? count : 0;
        Geohash.Cell[] cells = Geohash.searchCells(shape);
        int lastProcessed = 0;
        for (int i = 0; i < cells.length; i++) {
            Geohash.Cell cell = cells[i];
            if (cell.isZero()) {
                continue;
            }
            // Near the poles or with huge radii neighbours repeat: each range is searched once.
            if (lastProcessed != 0 && cell.equals(cells[lastProcessed])) {
                continue;
            }
            if (!found.isEmpty() && limit != 0 && found.size() >= limit) {
                break;
            }
            pointsInCell(z, cell, shape, found, limit);
            lastProcessed = i;
        }
        if (found.isEmpty() && storeKey == null) {
            c.reply.emptyArray();
            return;
        }
        int returned = (int) (count == 0 || found.size() < count ? found.size() : count);
        if (sort != 0) {
            Comparator<Point> byDist = Comparator.comparingDouble(Point::dist);
            Comparator<Point> order = sort == 1 ? byDist : byDist.reversed();
            if (returned < found.size()) {
                // COUNT: only the first ones are needed (Redis's pqsort); keep them in a heap whose top is the worst.
                java.util.PriorityQueue<Point> best = new java.util.PriorityQueue<>(returned + 1, order.reversed());
                for (Point p : found) {
                    best.add(p);
                    if (best.size() > returned) {
                        best.poll();
                    }
                }
                found = new ArrayList<>(best);
            }
            found.sort(order);
        }
        if (storeKey == null) {
            int options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
            c.reply.array(returned);
            for (int i = 0; i < returned; i++) {
                Point p = found.get(i);
                if (options > 0) {
                    c.reply.array(options + 1);
                }
                c.reply.bulk(p.member);
                if (withDist) {
                    c.reply.bulk(Geohash.formatDistance(p.dist / shape.conversion));
                }
                if (withHash) {
                    c.reply.integer((long) p.score);
                }
                if (withCoords) {
                    c.reply.array(2);
                    c.reply.humanDouble(p.longitude);
                    c.reply.humanDouble(p.latitude);
                }
            }
            return;
        }
        Keyspace ks = c.keyspace();
        ZSetValue out = new ZSetValue(true);
        for (int i = 0; i < returned; i++) {
            Point p = found.get(i);
            out.put(p.member, storeDist ? p.dist / shape.conversion : p.score, ks.zsetMaxListpackEntries,
                ks.zsetMaxListpackValue);
        }
        Values.store(c, storeKey, out, KeyspaceEvents.ZSET, search ? "geosearchstore" : "georadiusstore");
    }

    /** Redis's membersOfGeoHashBox: members with scores in the cell's range that lie inside the shape. */
    private static void pointsInCell(ZSetValue z, Geohash.Cell cell, Geohash.Shape shape, List<Point> out, long limit) {
        double min = Geohash.align52(cell);
        double max = Geohash.align52(new Geohash.Cell(cell.bits() + 1, cell.step()));
        long from = z.countBelow(min, false);
        long to = z.countBelow(max, false) - 1;
        if (from > to) {
            return;
        }
        z.range(from, to, false, (member, score) -> {
            if (limit != 0 && out.size() >= limit) {
                return;
            }
            double[] xy = Geohash.decode(score);
            double dist;
            if (shape.box) {
                if (Geohash.latDistance(xy[1], shape.latitude) > shape.height * shape.conversion / 2) {
                    return;
                }
                if (Geohash.distance(xy[0], xy[1], shape.longitude, xy[1]) > shape.width * shape.conversion / 2) {
                    return;
                }
                dist = Geohash.distance(shape.longitude, shape.latitude, xy[0], xy[1]);
            } else {
                dist = Geohash.distance(shape.longitude, shape.latitude, xy[0], xy[1]);
                if (dist > shape.radius * shape.conversion) {
                    return;
                }
            }
            out.add(new Point(member, score, xy[0], xy[1], dist));
        });
    }
}
