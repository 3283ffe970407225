package dev.quokka.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The last step of {@code ./mvnw package -Dquokka.image=REGISTRY/quokka:TAG} (pom.xml, profile
 * image-push): Quarkus's Jib extension has pushed the application image, and this adds what its
 * settings cannot declare, the data directory: {@code /data}, owned by the image's user (uid
 * 185) and group 0 with mode 775 (so that a platform running the image under another uid in
 * group 0, as OpenShift does, can write too), so that the server can write its AOF and RDB there
 * without a mounted volume, and declared
 * a VOLUME so that a container runtime keeps it outside the container's layers. The image is
 * pulled back as the base of one more layer and pushed under the same name; everything else
 * (entrypoint, user, environment, ports) is inherited from it.
 *
 * <p>Credentials as Quarkus's push finds them: {@code quarkus.container-image.username/password},
 * else the Docker configuration ({@code docker login}) and its credential helpers.
 */
public final class DataVolumeLayer {
    static final AbsoluteUnixPath DATA = AbsoluteUnixPath.get("/data");
    static final String OWNER = "185:0";

    private DataVolumeLayer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || args[0].isBlank()) {
            throw new IllegalArgumentException("usage: DataVolumeLayer REGISTRY/NAME:TAG");
        }
        ImageReference ref = ImageReference.parse(args[0]);
        boolean insecure = Boolean.getBoolean("quarkus.container-image.insecure");
        Consumer<LogEvent> log = e -> {
            if (e.getLevel().compareTo(LogEvent.Level.LIFECYCLE) <= 0) {
                System.out.println("[data volume] " + e.getMessage());
            }
        };
        Path empty = Files.createTempDirectory("quokka-data");
        FileEntriesLayer layer = FileEntriesLayer.builder().setName("data-directory")
            .addEntry(new FileEntry(empty, DATA, FilePermissions.fromOctalString("775"),
                Instant.ofEpochSecond(1), OWNER))
            .build();
        JibContainer image = Jib.from(withCredentials(RegistryImage.named(ref), ref, log))
            .addFileEntriesLayer(layer)
            .addVolume(DATA)
            .containerize(Containerizer.to(withCredentials(RegistryImage.named(ref), ref, log))
                .setAllowInsecureRegistries(insecure)
                .setToolName("quokka")
                .addEventHandler(LogEvent.class, log::accept));
        Files.deleteIfExists(empty);
        System.out.println("[data volume] pushed " + ref + " with /data (uid 185, gid 0, a volume): " + image.getDigest());
    }

    static RegistryImage withCredentials(RegistryImage image, ImageReference ref, Consumer<LogEvent> log) {
        String user = System.getProperty("quarkus.container-image.username");
        String password = System.getProperty("quarkus.container-image.password");
        if (user != null && password != null) {
            return image.addCredential(user, password);
        }
        CredentialRetrieverFactory credentials = CredentialRetrieverFactory.forImage(ref, log);
        return image.addCredentialRetriever(credentials.dockerConfig())
            .addCredentialRetriever(credentials.wellKnownCredentialHelpers());
    }
}
