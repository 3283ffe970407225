package dev.quokka.command.zset;

/**
 * Redis's geohash arithmetic ({@code geohash.c}, {@code geohash_helper.c}), the specification
 * GEOADD's scores and every GEO search must follow bit for bit: latitude and longitude scaled to
 * 26 bits each over Redis's ranges (latitude ±85.05112878, the Web Mercator limits) and
 * interleaved into a 52-bit integer (latitude on the even bits), the cells around a search
 * centre, and haversine distances on a sphere of Redis's radius.
 */
final class Geohash {
    static final double LAT_MIN = -85.05112878;
    static final double LAT_MAX = 85.05112878;
    static final double LONG_MIN = -180;
    static final double LONG_MAX = 180;
    static final int STEP_MAX = 26;
    static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    private static final double MERCATOR_MAX = 20037726.37;
    private static final double D_R = Math.PI / 180.0;

    private Geohash() {
    }

    /** A cell: its bits and its step (bits per coordinate); step 0 is "no cell". */
    record Cell(long bits, int step) {
        boolean isZero() {
            return bits == 0 && step == 0;
        }
    }

    private static long spread(long v) {
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        return (v | (v << 1)) & 0x5555555555555555L;
    }

    private static long squash(long v) {
        v &= 0x5555555555555555L;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        return (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
    }

    /**
     * Encodes a point at {@code step} over the given ranges; null when it lies outside them or
     * outside Redis's limits.
     */
    static Cell encode(double longMin, double longMax, double latMin, double latMax, double longitude, double latitude,
                       int step) {
        if (longitude > LONG_MAX || longitude < LONG_MIN || latitude > LAT_MAX || latitude < LAT_MIN) {
            return null;
        }
        if (latitude < latMin || latitude > latMax || longitude < longMin || longitude > longMax) {
            return null;
        }
        double latOffset = (latitude - latMin) / (latMax - latMin) * (1L << step);
        double longOffset = (longitude - longMin) / (longMax - longMin) * (1L << step);
        // C's conversion of the offsets to uint32_t: truncation.
        return new Cell(spread((long) latOffset & 0xffffffffL) | (spread((long) longOffset & 0xffffffffL) << 1), step);
    }

    static Cell encode(double longitude, double latitude, int step) {
        return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, step);
    }

    /** A cell's bounds: {longitude min, longitude max, latitude min, latitude max}. */
    static double[] area(Cell cell) {
        long lat = squash(cell.bits);
        long lon = squash(cell.bits >>> 1);
        double scale = 1L << cell.step;
        double latScale = LAT_MAX - LAT_MIN;
        double longScale = LONG_MAX - LONG_MIN;
        return new double[] {
            LONG_MIN + (lon * 1.0 / scale) * longScale,
            LONG_MIN + ((lon + 1) * 1.0 / scale) * longScale,
            LAT_MIN + (lat * 1.0 / scale) * latScale,
            LAT_MIN + ((lat + 1) * 1.0 / scale) * latScale,
        };
    }

    /** A score's point, the centre of its 52-bit cell: {longitude, latitude}. */
    static double[] decode(double score) {
        double[] a = area(new Cell(toUnsignedBits(score), STEP_MAX));
        double x = Math.max(LONG_MIN, Math.min(LONG_MAX, (a[0] + a[1]) / 2));
        double y = Math.max(LAT_MIN, Math.min(LAT_MAX, (a[2] + a[3]) / 2));
        return new double[] {x, y};
    }

    /**
     * C's {@code (uint64_t)} of a score as x86-64 computes it, so that scores GEOADD never writes
     * (negative, huge, infinite) decode to the point redis-server reports for them.
     */
    private static long toUnsignedBits(double score) {
        if (score >= 0x1p64) {
            return 0;
        }
        if (score >= 0x1p63) {
            return (long) (score - 0x1p63) ^ Long.MIN_VALUE;
        }
        return (long) score;
    }

    /** The cell's bits aligned to 52 bits: the sorted-set score range that starts with it. */
    static long align52(Cell cell) {
        return cell.bits << (52 - cell.step * 2);
    }

    private static final long LONGITUDE_BITS = 0xaaaaaaaaaaaaaaaaL;
    private static final long LATITUDE_BITS = 0x5555555555555555L;

    /**
     * Redis's geohash_move_x/_y: moves a cell one step along the coordinate whose interleaved bits
     * are {@code mine}, by adding (or subtracting) one to them with the other coordinate's bits set
     * as carry bridges, then masking them off.
     */
    private static Cell moveAlong(Cell c, int d, long mine) {
        if (d == 0) {
            return c;
        }
        int shift = 64 - c.step * 2;
        long own = c.bits & mine;
        long other = c.bits & ~mine;
        long zz = ~mine >>> shift;
        own = d > 0 ? own + (zz + 1) : (own | zz) - (zz + 1);
        own &= mine >>> shift;
        return new Cell(own | other, c.step);
    }

    private static Cell move(Cell c, int dx, int dy) {
        return moveAlong(moveAlong(c, dx, LONGITUDE_BITS), dy, LATITUDE_BITS);
    }

    /** Redis's geohashEstimateStepsByRadius. */
    static int estimateSteps(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }

    /** A search shape: a circle of {@code radius} or a {@code width} by {@code height} box, in units of {@code conversion} metres. */
    static final class Shape {
        double longitude;
        double latitude;
        boolean box;
        double radius;
        double width;
        double height;
        double conversion;
        /** min longitude, min latitude, max longitude, max latitude. */
        final double[] bounds = new double[4];
    }

    /** Redis's geohashBoundingBox. */
    static void boundingBox(Shape s) {
        double height = s.conversion * (s.box ? s.height / 2 : s.radius);
        double width = s.conversion * (s.box ? s.width / 2 : s.radius);
        double latDelta = height / EARTH_RADIUS_IN_METERS / D_R;
        double longDeltaTop = width / EARTH_RADIUS_IN_METERS / Math.cos((s.latitude + latDelta) * D_R) / D_R;
        double longDeltaBottom = width / EARTH_RADIUS_IN_METERS / Math.cos((s.latitude - latDelta) * D_R) / D_R;
        boolean south = s.latitude < 0;
        s.bounds[0] = south ? s.longitude - longDeltaBottom : s.longitude - longDeltaTop;
        s.bounds[2] = south ? s.longitude + longDeltaBottom : s.longitude + longDeltaTop;
        s.bounds[1] = s.latitude - latDelta;
        s.bounds[3] = s.latitude + latDelta;
    }

    /**
     * Redis's geohashCalculateAreasByShapeWGS84: the centre's cell and its eight neighbours, in
     * Redis's search order (self, N, S, E, W, NE, NW, SE, SW), the useless ones zeroed.
     */
    static Cell[] searchCells(Shape s) {
        boundingBox(s);
        double minLon = s.bounds[0];
        double minLat = s.bounds[1];
        double maxLon = s.bounds[2];
        double maxLat = s.bounds[3];
        double radiusMeters = s.box ? Math.sqrt((s.width / 2) * (s.width / 2) + (s.height / 2) * (s.height / 2)) : s.radius;
        radiusMeters *= s.conversion;
        int steps = estimateSteps(radiusMeters, s.latitude);
        Cell hash = encode(s.longitude, s.latitude, steps);
        Cell[] n = neighbours(hash);
        double[] area = area(hash);
        boolean decrease = area(n[1])[3] < maxLat || area(n[2])[2] > minLat || area(n[3])[1] < maxLon
            || area(n[4])[0] > minLon;
        if (steps > 1 && decrease) {
            steps--;
            hash = encode(s.longitude, s.latitude, steps);
            n = neighbours(hash);
            area = area(hash);
        }
        if (steps >= 2) {
            Cell zero = new Cell(0, 0);
            if (area[2] < minLat) {
                n[2] = zero;
                n[8] = zero;
                n[7] = zero;
            }
            if (area[3] > maxLat) {
                n[1] = zero;
                n[5] = zero;
                n[6] = zero;
            }
            if (area[0] < minLon) {
                n[4] = zero;
                n[8] = zero;
                n[6] = zero;
            }
            if (area[1] > maxLon) {
                n[3] = zero;
                n[7] = zero;
                n[5] = zero;
            }
        }
        return n;
    }

    /** The cell and its neighbours: self, north, south, east, west, north-east, north-west, south-east, south-west. */
    private static Cell[] neighbours(Cell c) {
        return new Cell[] {c, move(c, 0, 1), move(c, 0, -1), move(c, 1, 0), move(c, -1, 0), move(c, 1, 1),
            move(c, -1, 1), move(c, 1, -1), move(c, -1, -1)};
    }

    static double latDistance(double lat1d, double lat2d) {
        return EARTH_RADIUS_IN_METERS * Math.abs(lat2d * D_R - lat1d * D_R);
    }

    /** Redis's geohashGetDistance (haversine). */
    static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lon1r = lon1d * D_R;
        double lon2r = lon2d * D_R;
        double v = Math.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            return latDistance(lat1d, lat2d);
        }
        double lat1r = lat1d * D_R;
        double lat2r = lat2d * D_R;
        double u = Math.sin((lat2r - lat1r) / 2);
        double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
    }

    /** Redis's fixedpoint_d2string with 4 decimals (llrint, round half to even): distances in replies. */
    static String formatDistance(double d) {
        if (d == 0) {
            return "0.0000";
        }
        long v = (long) Math.rint(d * 10000.0);
        String digits = Long.toString(Math.abs(v));
        if (digits.length() < 5) {
            digits = "0".repeat(5 - digits.length()) + digits;
        }
        String s = digits.substring(0, digits.length() - 4) + "." + digits.substring(digits.length() - 4);
        return v < 0 ? "-" + s : s;
    }
}
