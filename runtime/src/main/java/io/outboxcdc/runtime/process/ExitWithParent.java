package io.outboxcdc.runtime.process;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Runs another main class (the Kafka broker, a Kafka tool, a Connect worker, a Spring Boot service) and exits when
 * standard input closes.
 *
 * <p>The parent keeps our stdin open; when the parent dies for any reason (even SIGKILL), the pipe closes and
 * this process follows instead of lingering as an orphan broker or service on a port. Usage:
 * {@code ExitWithParent <main class> [args...]}. JDK classes only: {@link ExitWithParentLauncher} copies this class
 * onto the classpath of every child (the Kafka broker's, a Connect worker's, a Spring Boot service's).
 */
public final class ExitWithParent {

    private ExitWithParent() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ExitWithParent <main class> [args...]");
        }
        Thread watcher = new Thread(ExitWithParent::exitWhenStdinCloses, "exit-with-parent");
        watcher.setDaemon(true);
        watcher.start();
        Class.forName(args[0])
                .getMethod("main", String[].class)
                .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void exitWhenStdinCloses() {
        InputStream in = System.in;
        try {
            while (in.read() != -1) {
                // The parent never writes; anything read is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end of stream.
        }
        // exit, not halt: a service still runs its graceful shutdown (a relay releases its lock).
        System.exit(0);
    }
}
