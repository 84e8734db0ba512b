package io.outboxcdc.runtime.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Application class-data sharing (AppCDS) for a Spring Boot jar, to cut start-up time on a small box. Classes
 * inside an executable jar's nested jars are loaded by Spring Boot's own class loader, which JDK 17 cannot archive;
 * so the jar is extracted once ({@code java -Djarmode=tools -jar app.jar extract}, Spring Boot's documented layout
 * for CDS) into {@code <cache>/<jar name>-<size>-<mtime>/}, and the service runs from there with plain class-path
 * jars. The first start dumps the classes it loaded when it exits ({@code -XX:ArchiveClassesAtExit}, written to a
 * private temporary name and moved into place after a graceful exit, so concurrent starts never read a half-written
 * archive); every later start maps that archive ({@code -XX:SharedArchiveFile}). A missing, stale or broken archive
 * only costs speed: the JVM then runs without it. A rebuilt jar has another size or mtime, hence a fresh cache.
 */
final class ClassDataSharing {

    private static final String ARCHIVE = "app.jsa";
    private static final Duration STALE_DUMP = Duration.ofHours(1);

    private final Path directory;
    private final Path applicationJar;
    private final Path launcherJar;
    private final String mainClass;

    private ClassDataSharing(Path directory, Path applicationJar, Path launcherJar, String mainClass) {
        this.directory = directory;
        this.applicationJar = applicationJar;
        this.launcherJar = launcherJar;
        this.mainClass = mainClass;
    }

    /** Extracts {@code jar} under {@code cacheRoot} unless already done (a few seconds, once per build). */
    static ClassDataSharing prepare(Path jar, Path cacheRoot) {
        try {
            String key = jar.getFileName() + "-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis();
            Path directory = cacheRoot.toAbsolutePath().resolve(key);
            Path extracted = directory.resolve("extracted");
            if (!Files.isDirectory(extracted)) {
                deleteOtherBuilds(cacheRoot.toAbsolutePath(), jar.getFileName() + "-", directory);
                extract(jar, directory, extracted);
            }
            Path launcher = directory.resolve("launcher.jar");
            if (!Files.isRegularFile(launcher)) {
                writeLauncherJar(launcher);
            }
            String mainClass;
            try (JarFile file = new JarFile(jar.toFile())) {
                mainClass = file.getManifest().getMainAttributes().getValue("Start-Class");
            }
            if (mainClass == null) {
                throw new IllegalStateException(jar + " has no Start-Class: not a Spring Boot executable jar");
            }
            return new ClassDataSharing(directory, extracted.resolve(jar.getFileName()), launcher, mainClass);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare class-data sharing for " + jar, e);
        }
    }

    /** One launch: the JVM flags and main arguments, and where this launch dumps its archive (if it does). */
    record Launch(List<String> jvmFlags, List<String> main, Path pendingDump, Path archive) {
    }

    Launch launch(List<String> arguments) {
        List<String> flags = new ArrayList<>();
        Path archive = directory.resolve(ARCHIVE);
        Path pending = null;
        if (Files.isRegularFile(archive)) {
            flags.add("-XX:SharedArchiveFile=" + archive);
        } else {
            deleteStaleDumps();
            pending = directory.resolve("dump-" + UUID.randomUUID() + ".jsa.tmp");
            flags.add("-XX:ArchiveClassesAtExit=" + pending);
        }
        // A missing or mismatched archive (e.g. another JDK) costs speed, never the start. The dump lists every
        // class it cannot archive (generated accessors, JFR events) as a warning: noise in the service's log.
        flags.add("-Xshare:auto");
        flags.add("-Xlog:cds=error");
        List<String> main = new ArrayList<>(List.of("-cp",
                applicationJar + java.io.File.pathSeparator + launcherJar, ExitWithParentLauncher.MAIN_CLASS, mainClass));
        main.addAll(arguments);
        return new Launch(flags, main, pending, archive);
    }

    /** After the process of {@code launch} exited: keep its archive if it exited gracefully, else drop it. */
    static void afterExit(Launch launch, boolean graceful) {
        Path pending = launch.pendingDump();
        if (pending == null) {
            return;
        }
        try {
            if (graceful && Files.isRegularFile(pending) && Files.size(pending) > 0) {
                try {
                    Files.move(pending, launch.archive(), StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException e) {
                    // Another launch published its archive first: equally good.
                }
            }
            Files.deleteIfExists(pending);
        } catch (IOException e) {
            // The next start simply dumps again.
        }
    }

    private void deleteStaleDumps() {
        try (Stream<Path> files = Files.list(directory)) {
            Instant cutoff = Instant.now().minus(STALE_DUMP);
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsa.tmp")).toList()) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            // Leftovers of killed launches are harmless.
        }
    }

    /** Caches of earlier builds of the same jar, unused for an hour (each holds an extracted copy of the jar). */
    private static void deleteOtherBuilds(Path cacheRoot, String prefix, Path keep) throws IOException {
        if (!Files.isDirectory(cacheRoot)) {
            return;
        }
        Instant cutoff = Instant.now().minus(STALE_DUMP);
        try (Stream<Path> dirs = Files.list(cacheRoot)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(prefix) && !d.equals(keep)).toList()) {
                if (Files.getLastModifiedTime(dir).toInstant().isBefore(cutoff)) {
                    deleteTree(dir);
                }
            }
        }
    }

    private static void extract(Path jar, Path directory, Path extracted) throws IOException {
        Files.createDirectories(directory);
        Path staging = directory.resolve("extracting-" + UUID.randomUUID());
        Path log = directory.resolve("extract.log");
        List<String> command = List.of(JavaProcess.javaExecutable(), "-Djarmode=tools", "-jar", jar.toString(),
                "extract", "--destination", staging.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("extracting " + jar + " failed; see " + log);
            }
            try {
                Files.move(staging, extracted, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                deleteTree(staging); // a concurrent launch extracted it first
            } catch (IOException e) {
                if (!Files.isDirectory(extracted)) {
                    throw e;
                }
                deleteTree(staging);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while extracting " + jar, e);
        }
    }

    private static void writeLauncherJar(Path launcher) throws IOException {
        // A jar, not a class directory: CDS refuses to dump when a non-empty directory is on the class path.
        String resource = ExitWithParentLauncher.MAIN_CLASS.replace('.', '/') + ".class";
        Path staging = launcher.resolveSibling("launcher-" + UUID.randomUUID() + ".jar");
        try (InputStream in = ClassDataSharing.class.getResourceAsStream("/" + resource);
                OutputStream file = Files.newOutputStream(staging);
                JarOutputStream out = new JarOutputStream(file)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the runtime module's classes");
            }
            out.putNextEntry(new JarEntry(resource));
            in.transferTo(out);
            out.closeEntry();
        }
        try {
            Files.move(staging, launcher, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(staging);
            if (!Files.isRegularFile(launcher)) {
                throw e;
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
