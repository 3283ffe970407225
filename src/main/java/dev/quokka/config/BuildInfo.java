package dev.quokka.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version, git commit and build type, from {@code quokka-build.properties} written by the build. */
public final class BuildInfo {
    /** The Redis version Quokka answers as (INFO redis_version, HELLO). */
    public static final String REDIS_VERSION = "7.0.15";

    private static final Properties PROPS = new Properties();

    static {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/quokka-build.properties")) {
            if (in != null) {
                PROPS.load(in);
            }
        } catch (IOException ignored) {
            // the defaults below apply
        }
    }

    private BuildInfo() {
    }

    public static String version() {
        return PROPS.getProperty("version", "unknown");
    }

    public static String commit() {
        String c = PROPS.getProperty("commit", "");
        return c.isEmpty() || c.startsWith("${") ? "00000000" : c;
    }

    public static String buildType() {
        return PROPS.getProperty("build-type", "jvm");
    }
}
