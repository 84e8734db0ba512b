package io.outboxcdc.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.outboxcdc.testkit.containers.DockerAvailability;
import org.junit.jupiter.api.Test;

// Issue 9: -Dinfra=containers selects Testcontainers; the default stays Docker-free.
class InfrastructureProviderTests {

    @Test
    void theDefaultNeedsNoDocker() {
        assertThat(InfrastructureProvider.parse(null)).isEqualTo(InfrastructureProvider.EMBEDDED);
        assertThat(InfrastructureProvider.parse(" ")).isEqualTo(InfrastructureProvider.EMBEDDED);
        assertThat(InfrastructureProvider.parse("embedded")).isEqualTo(InfrastructureProvider.EMBEDDED);
    }

    @Test
    void containersAreSelectedByTheSwitch() {
        assertThat(InfrastructureProvider.parse("containers")).isEqualTo(InfrastructureProvider.CONTAINERS);
        assertThat(InfrastructureProvider.parse("Testcontainers")).isEqualTo(InfrastructureProvider.CONTAINERS);
    }

    @Test
    void anUnknownProviderIsRejectedWithTheChoices() {
        assertThatThrownBy(() -> InfrastructureProvider.parse("kubernetes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dinfra=kubernetes")
                .hasMessageContaining("'containers'");
    }

    @Test
    void containersWithoutADockerDaemonFailFastWithAClearMessage() {
        assumeFalse(DockerAvailability.isAvailable(), "a Docker daemon is reachable here");
        String before = System.getProperty(InfrastructureProvider.PROPERTY);
        System.setProperty(InfrastructureProvider.PROPERTY, "containers");
        try {
            assertThatThrownBy(() -> TestInfrastructure.forClass(InfrastructureProviderTests.class))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("-Dinfra=containers")
                    .hasMessageContaining("no Docker daemon is reachable")
                    .hasMessageContaining("run without -Dinfra=containers");
        } finally {
            if (before == null) {
                System.clearProperty(InfrastructureProvider.PROPERTY);
            } else {
                System.setProperty(InfrastructureProvider.PROPERTY, before);
            }
        }
    }
}
