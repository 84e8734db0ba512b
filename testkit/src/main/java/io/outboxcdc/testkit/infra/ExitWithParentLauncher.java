package io.outboxcdc.testkit.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts kafka-broker-dist's {@code ExitWithParent} where a child JVM can load it, so that the children this
 * machine starts (the broker, the services) end when the JVM that started them dies, even by SIGKILL,
 * instead of lingering on their ports. The class is copied out of its jar because that jar may be nested in
 * an executable Spring Boot jar, where another JVM cannot put it on its classpath.
 */
public final class ExitWithParentLauncher {

    public static final String MAIN_CLASS = "io.outboxcdc.kafka.ExitWithParent";

    private ExitWithParentLauncher() {
    }

    /** A classpath entry (a directory under {@code workDirectory}) holding the launcher class. */
    public static String classpathEntry(Path workDirectory) {
        String resource = "/" + MAIN_CLASS.replace('.', '/') + ".class";
        Path classes = workDirectory.toAbsolutePath().resolve("launcher-classes");
        Path target = classes.resolve(resource.substring(1));
        try (InputStream in = ExitWithParentLauncher.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing: kafka-broker-dist is not on the classpath");
            }
            Files.createDirectories(target.getParent());
            Files.write(target, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return classes.toString();
    }
}
