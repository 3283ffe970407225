package dev.quokka.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container image, built by Jib and run for real with no Docker daemon
 * (src/test/image/image-e2e.sh: loopback registry, local JRE base, Jib push, skopeo pull, umoci
 * unpack, the image's own entrypoint in a chroot, then redis-cli, health and metrics). It needs
 * root and the tools .ci/run installs (docker-registry, skopeo, umoci, jq, Temurin 25); without
 * them it is skipped, saying why.
 */
class ContainerImageIT {
    private static boolean has(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void buildPullRunAndTalkToTheImage() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "the image test needs root (chroot, unshare)");
        for (String tool : new String[] {"docker-registry", "skopeo", "umoci", "jq", "redis-cli", "curl"}) {
            Assumptions.assumeTrue(has(tool), tool + " is missing (.ci/run installs it)");
        }
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/jlink")), "Temurin 25 is missing");
        Process p = new ProcessBuilder("src/test/image/image-e2e.sh").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES));
        System.out.println(out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("image e2e: OK"), out);
    }
}
