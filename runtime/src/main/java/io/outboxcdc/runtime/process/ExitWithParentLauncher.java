package io.outboxcdc.runtime.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts {@link ExitWithParent} where a child JVM can load it, so that the children this machine starts (the
 * broker, the Connect workers, the services) end when the JVM that started them dies, even by SIGKILL, instead of
 * lingering on their ports. The class is copied out of this module's jar because that jar may be nested in an
 * executable Spring Boot jar ({@code ./outbox-cdc}'s), where another JVM cannot put it on its classpath; the
 * class uses nothing but the JDK, so it runs on any child's classpath (the broker's, a service's).
 */
public final class ExitWithParentLauncher {

    public static final String MAIN_CLASS = ExitWithParent.class.getName();

    private ExitWithParentLauncher() {
    }

    /** A classpath entry (a directory under {@code workDirectory}) holding the launcher class. */
    public static String classpathEntry(Path workDirectory) {
        String resource = "/" + MAIN_CLASS.replace('.', '/') + ".class";
        Path classes = workDirectory.toAbsolutePath().resolve("launcher-classes");
        Path target = classes.resolve(resource.substring(1));
        try (InputStream in = ExitWithParentLauncher.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the runtime module's classes");
            }
            Files.createDirectories(target.getParent());
            Files.write(target, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return classes.toString();
    }
}
