package io.outboxcdc.system;

import io.outboxcdc.system.stack.LocalStack;
import io.outboxcdc.system.stack.StackConfig;
import io.outboxcdc.system.verify.SystemVerifier;
import io.outboxcdc.testkit.infra.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The whole system as processes on free ports, with its data and logs under {@code target/system-tests/<name>}. */
final class SystemUnderTest {

    private SystemUnderTest() {
    }

    static LocalStack start(String name) {
        Path data = Path.of("target", "system-tests", name).toAbsolutePath();
        StackConfig config = new StackConfig(StackConfig.findHome(), data, FreePorts.pick(), FreePorts.pick(),
                FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), FreePorts.pick());
        LocalStack.deleteData(config);
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalStack stack = new LocalStack(config, line -> System.out.println("[" + name + "] " + line));
        try {
            stack.start();
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    static SystemVerifier verifier(LocalStack stack) {
        return OutboxCdc.verifier(stack.config());
    }

    static Map<String, Integer> ports(LocalStack stack) {
        return stack.config().ports();
    }
}
