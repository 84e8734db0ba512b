package io.outboxcdc.system.live;

import io.outboxcdc.system.OutboxCdc;
import io.outboxcdc.system.stack.LocalStack;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live pipeline page of {@code ./outbox-cdc up}: served by the {@code up} process itself at
 * {@code http://localhost:<port>/}, it shows the pipeline's numbers from the same sources as {@code verify} and the
 * services' own metrics, once a second while open, and offers the local stack's failure buttons.
 */
public final class LivePage implements AutoCloseable {

    public static final int DEFAULT_PORT = 8090;

    private final Timeline timeline = new Timeline();
    private final StackControls controls;
    private final InvariantCheck invariant;
    private final LiveSampler sampler;
    private final LiveServer server;

    private LivePage(LocalStack stack, int port) {
        // Every order id a load from this page saw acknowledged: the verification checks each was committed.
        Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
        this.invariant = new InvariantCheck(() -> OutboxCdc.verifier(stack.config()), () -> Set.copyOf(acknowledged),
                timeline);
        this.controls = new StackControls(stack, timeline, invariant::changed, acknowledged);
        this.sampler = new LiveSampler(stack, timeline, controls, invariant);
        this.server = new LiveServer(port, sampler, controls, invariant);
    }

    /** {@code --live-port=}, else {@code OUTBOXCDC_LIVE_PORT}, else {@value #DEFAULT_PORT}. */
    public static int port(Map<String, String> options, Map<String, String> env) {
        String value = options.getOrDefault("live-port", env.getOrDefault("OUTBOXCDC_LIVE_PORT",
                String.valueOf(DEFAULT_PORT)));
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--live-port must be a port number (1-65535), got '" + value + "'");
        }
    }

    /** Serves the page for {@code stack} on {@code port} (0 = any free port) of the loopback interface. */
    public static LivePage start(LocalStack stack, int port) {
        LivePage page = new LivePage(stack, port);
        page.server.start();
        page.sampler.start();
        page.timeline.add(Timeline.Kind.INFO, "live page started");
        return page;
    }

    public String url() {
        return "http://localhost:" + server.port() + "/";
    }

    @Override
    public void close() {
        server.close();
        sampler.close();
        invariant.close();
        controls.close();
    }
}
