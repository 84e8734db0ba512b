package io.outboxcdc.testkit.containers;

import java.time.Duration;
import org.testcontainers.containers.GenericContainer;

/**
 * The lifecycle both container-backed servers share: created once by Testcontainers, then stopped, killed and
 * started again through Docker itself ({@link ContainerControl}), keeping the container's data and ports.
 */
final class ManagedContainer {

    private final GenericContainer<?> container;
    private final Duration stopGrace;
    private volatile boolean created;

    ManagedContainer(GenericContainer<?> container, Duration stopGrace) {
        this.container = container;
        this.stopGrace = stopGrace;
    }

    /** Creates and starts the container the first time; {@code docker start} later. True if it was a restart. */
    synchronized boolean startOrRestart() {
        if (!created) {
            container.start();
            created = true;
            return false;
        }
        ContainerControl.start(id());
        return true;
    }

    synchronized void stop() {
        if (isRunning()) {
            ContainerControl.stop(id(), stopGrace);
        }
    }

    synchronized void kill() {
        if (isRunning()) {
            ContainerControl.kill(id());
        }
    }

    boolean isRunning() {
        return created && ContainerControl.isRunning(id());
    }

    long pid() {
        return created ? ContainerControl.pid(id()) : -1;
    }

    /** Removes the container and its data. */
    synchronized void remove() {
        container.stop();
        created = false;
    }

    String logs() {
        return container.getLogs();
    }

    private String id() {
        return container.getContainerId();
    }
}
