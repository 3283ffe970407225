package dev.quokka.ops;

import dev.quokka.config.LaunchArguments;
import dev.quokka.config.ServerConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.Map;

/**
 * {@code java -jar quarkus-run.jar [redis.conf] [--name value ...]}: takes redis-server's
 * arguments, then runs Quarkus until SIGTERM or SHUTDOWN.
 */
@QuarkusMain
public final class Launcher {
    private Launcher() {
    }

    public static void main(String... args) {
        try {
            Map<String, String> parsed = LaunchArguments.parse(args);
            ServerConfig.check(parsed);
            LaunchArguments.set(parsed, LaunchArguments.configFileOf(args));
        } catch (Exception e) {
            System.err.println("*** FATAL CONFIG FILE ERROR (Quokka) ***");
            System.err.println(e.getMessage());
            System.exit(1);
        }
        Quarkus.run(args);
    }
}
