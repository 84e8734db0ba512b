package io.outboxcdc.system;

import io.outboxcdc.runtime.process.FreePorts;
import io.outboxcdc.system.stack.LocalStack;
import io.outboxcdc.system.stack.RelayKafkaRoute;
import io.outboxcdc.system.stack.RelayRunner;
import io.outboxcdc.system.stack.StackConfig;
import io.outboxcdc.system.verify.SystemVerifier;
import io.outboxcdc.testkit.faults.FaultyProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The whole system as processes on free ports, with its data and logs under {@code target/system-tests/<name>}. */
public final class SystemUnderTest {

    private static final Map<LocalStack, FaultyProxy> RELAY_KAFKA_PROXIES = new ConcurrentHashMap<>();

    private SystemUnderTest() {
    }

    static LocalStack start(String name) {
        return start(name, false);
    }

    /**
     * @param relayThroughProxy route the relay's Kafka traffic through a {@link FaultyProxy} (see
     *     {@link #relayKafkaProxy}) so that a test can cut the network between relay and broker
     */
    public static LocalStack start(String name, boolean relayThroughProxy) {
        return start(name, relayThroughProxy, 1);
    }

    /** @param kafkaBrokers 1 or 3 Kafka nodes (see {@link StackConfig#kafkaBrokers()}) */
    public static LocalStack start(String name, boolean relayThroughProxy, int kafkaBrokers) {
        return start(name, relayThroughProxy, kafkaBrokers, RelayRunner.embedded());
    }

    /** @param relayRunner the embedded relay, or the relay's connector on Kafka Connect ({@link RelayRunner}) */
    public static LocalStack start(String name, boolean relayThroughProxy, int kafkaBrokers, RelayRunner relayRunner) {
        Path data = home(name);
        int[] others = {FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), FreePorts.pick()};
        int[] kafka = kafkaPorts(kafkaBrokers, others);
        StackConfig config = new StackConfig(StackConfig.findHome(), data, others[0], kafka[0], kafka[1], others[1],
                others[2], others[3], kafkaBrokers);
        LocalStack.deleteData(config);
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FaultyProxy proxy = null;
        RelayKafkaRoute route = null;
        if (relayThroughProxy) {
            int brokerSide = FreePorts.pick();
            proxy = new FaultyProxy(FreePorts.pick(), "127.0.0.1", brokerSide);
            route = new RelayKafkaRoute(brokerSide, proxy.port());
        }
        LocalStack stack = new LocalStack(config, line -> System.out.println("[" + name + "] " + line), route)
                .runRelayOn(relayRunner);
        if (proxy != null) {
            RELAY_KAFKA_PROXIES.put(stack, proxy);
        }
        try {
            stack.start();
        } catch (RuntimeException e) {
            stop(stack);
            throw e;
        }
        return stack;
    }

    /** The proxy between the relay and Kafka of a stack started with {@code relayThroughProxy}. */
    public static FaultyProxy relayKafkaProxy(LocalStack stack) {
        FaultyProxy proxy = RELAY_KAFKA_PROXIES.get(stack);
        if (proxy == null) {
            throw new IllegalStateException("this stack routes the relay straight to Kafka");
        }
        return proxy;
    }

    /** Closes the stack, then the relay's proxy if it has one. */
    public static void stop(LocalStack stack) {
        try {
            stack.close();
        } finally {
            FaultyProxy proxy = RELAY_KAFKA_PROXIES.remove(stack);
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    /**
     * Client and controller port of Kafka node 1 such that every node's ports (node 1's plus
     * {@link StackConfig#BROKER_PORT_STEP} per node) are distinct from {@code taken} and free now, not only node 1's.
     */
    private static int[] kafkaPorts(int brokers, int... taken) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int client = FreePorts.pick();
            int controller = FreePorts.pick();
            java.util.Set<Integer> ports = new java.util.HashSet<>();
            for (int port : taken) {
                ports.add(port);
            }
            boolean usable = true;
            for (int node = 0; node < brokers; node++) {
                int offset = node * StackConfig.BROKER_PORT_STEP;
                usable &= ports.add(client + offset) && ports.add(controller + offset)
                        && FreePorts.isFree(client + offset) && FreePorts.isFree(controller + offset);
            }
            if (usable) {
                return new int[] {client, controller};
            }
        }
        throw new IllegalStateException("no free ports for " + brokers + " Kafka nodes");
    }

    /**
     * Data and logs of the system named {@code name}: they stay after the run for a look at failures. Under
     * {@code target/system-tests}, or {@code -Dsystem-tests.dir=...} so that two runs in one checkout do not
     * start their databases in the same folder.
     */
    public static Path home(String name) {
        return Path.of(System.getProperty("system-tests.dir", "target/system-tests"), name).toAbsolutePath();
    }

    static SystemVerifier verifier(LocalStack stack) {
        return OutboxCdc.verifier(stack.config());
    }
}
