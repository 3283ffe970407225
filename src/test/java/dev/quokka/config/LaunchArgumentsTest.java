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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.checkNames(d));
        assertEquals("Bad directive or wrong number of arguments: 'no-such-thing'", e.getMessage());
    }

    @Test
    void redisMemoryUnits() {
        assertEquals(1000, ServerConfig.parseMemory("1k"));
        assertEquals(1024, ServerConfig.parseMemory("1KB"));
        assertEquals(104857600, ServerConfig.parseMemory("100mb"));
        assertEquals(1073741824, ServerConfig.parseMemory("1gb"));
        assertEquals(-1, ServerConfig.parseMemory("lots"));
        assertEquals(-1, ServerConfig.parseMemory("-1"));
    }
}
