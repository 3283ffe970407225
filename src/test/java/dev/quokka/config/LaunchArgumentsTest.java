package dev.quokka.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LaunchArgumentsTest {
    @Test
    void configFileThenArgumentsLaterWins() throws Exception {
        Path conf = Files.createTempFile("quokka", ".conf");
        Files.writeString(conf, "# comment\nport 7000\nsave \"\"\nmaxmemory 100mb\nnotify-keyspace-events \"KEA\"\n");
        Map<String, String> d = LaunchArguments.parse(new String[] {conf.toString(), "--port", "7001", "--hz", "50", "--save", ""});
        assertEquals("7001", d.get("port"));
        assertEquals("50", d.get("hz"));
        assertEquals("", d.get("save"));
        assertEquals("100mb", d.get("maxmemory"));
        assertEquals("KEA", d.get("notify-keyspace-events"));
    }

    @Test
    void unknownDirectiveIsRefused() throws Exception {
        Map<String, String> d = LaunchArguments.parse(new String[] {"--no-such-thing", "1"});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.check(d));
        assertEquals(">>> 'no-such-thing \"1\"'\nBad directive or wrong number of arguments", e.getMessage());
    }

    @Test
    void invalidValueIsRefusedWithRedisReason() throws Exception {
        Map<String, String> d = LaunchArguments.parse(new String[] {"--appendfsync", "sometimes"});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.check(d));
        // redis-server 7.0.15 --appendfsync sometimes prints these two lines
        assertEquals(">>> 'appendfsync \"sometimes\"'\nargument(s) must be one of the following: everysec, always, no",
            e.getMessage());
    }

    @Test
    void typedValuesAndAliases() throws Exception {
        ServerConfig c = ServerConfig.of(LaunchArguments.parse(new String[] {"--maxmemory", "100mb",
            "--maxmemory-policy", "ALLKEYS-LRU", "--hash-max-ziplist-entries", "7", "--hz", "1000"}));
        assertEquals(104857600L, c.get(Settings.MAXMEMORY));
        assertEquals(MaxmemoryPolicy.ALLKEYS_LRU, c.get(Settings.MAXMEMORY_POLICY));
        assertEquals("allkeys-lru", c.value(Settings.MAXMEMORY_POLICY));
        assertEquals(7L, c.get(Settings.HASH_MAX_LISTPACK_ENTRIES));
        assertEquals(500L, c.get(Settings.HZ));
        assertEquals(AppendFsync.EVERYSEC, c.get(Settings.APPENDFSYNC));
    }

    /** Of a setting's name and its alias, the later line wins, whichever it is (Redis's unit/introspection). */
    @Test
    void laterOfNameAndAliasWins() throws Exception {
        ServerConfig a = ServerConfig.of(LaunchArguments.parse(new String[] {"--hash-max-listpack-entries", "20",
            "--hash-max-ziplist-entries", "21"}));
        assertEquals(21L, a.get(Settings.HASH_MAX_LISTPACK_ENTRIES));
        ServerConfig b = ServerConfig.of(LaunchArguments.parse(new String[] {"--hash-max-ziplist-entries", "20",
            "--hash-max-listpack-entries", "21"}));
        assertEquals(21L, b.get(Settings.HASH_MAX_LISTPACK_ENTRIES));
    }

    @Test
    void everySubscriberHearsAChange() {
        ServerConfig c = new ServerConfig();
        java.util.List<Object> heard = new java.util.ArrayList<>();
        c.onChange(Settings.APPENDFSYNC, heard::add);
        c.onChange(Settings.APPENDFSYNC, v -> heard.add("second " + v));
        assertEquals(null, c.set(java.util.List.<String[]>of(new String[] {"appendfsync", "Always"}), false, false));
        assertEquals(java.util.List.of(AppendFsync.ALWAYS, "second ALWAYS"), heard);
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) must be one of "
            + "the following: everysec, always, no", c.set(java.util.List.<String[]>of(new String[] {"appendfsync", "x"}), false, false));
        assertEquals(AppendFsync.ALWAYS, c.get(Settings.APPENDFSYNC));
    }

    @Test
    void redisMemoryUnits() {
        assertEquals(1000, Memory.parse("1k"));
        assertEquals(1024, Memory.parse("1KB"));
        assertEquals(104857600, Memory.parse("100mb"));
        assertEquals(1073741824, Memory.parse("1gb"));
        assertEquals(-1, Memory.parse("lots"));
        assertEquals(-1, Memory.parse("-1"));
    }
}
