package io.outboxcdc.testkit.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;

/**
 * Failure injection on a running container through Docker itself, not through Testcontainers' lifecycle (whose
 * {@code stop()} removes the container and its data): {@code docker stop} sends the image's stop signal and waits,
 * {@code docker kill} sends SIGKILL, {@code docker start} runs the same container, same file system, same ports.
 */
final class ContainerControl {

    private ContainerControl() {
    }

    static void stop(String containerId, Duration grace) {
        client().stopContainerCmd(containerId).withTimeout((int) grace.toSeconds()).exec();
    }

    static void kill(String containerId) {
        client().killContainerCmd(containerId).withSignal("SIGKILL").exec();
    }

    static void start(String containerId) {
        client().startContainerCmd(containerId).exec();
    }

    static boolean isRunning(String containerId) {
        InspectContainerResponse.ContainerState state = client().inspectContainerCmd(containerId).exec().getState();
        return Boolean.TRUE.equals(state.getRunning());
    }

    /** The PID of the container's main process in the host's PID namespace (meaningful on a Linux host). */
    static long pid(String containerId) {
        InspectContainerResponse.ContainerState state = client().inspectContainerCmd(containerId).exec().getState();
        Long pid = state.getPidLong();
        return Boolean.TRUE.equals(state.getRunning()) && pid != null && pid > 0 ? pid : -1;
    }

    static String dockerHost() {
        return DockerClientFactory.instance().dockerHostIpAddress();
    }

    private static DockerClient client() {
        return DockerClientFactory.instance().client();
    }
}
