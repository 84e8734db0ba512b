package io.outboxcdc.relay.support;

import io.outboxcdc.relay.RelayProperties;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** RelayProperties bound exactly as Spring Boot binds them, from a few overrides. */
public final class TestProperties {

    private TestProperties() {
    }

    public static RelayProperties relay(Map<String, String> overrides) {
        return new Binder(new MapConfigurationPropertySource(overrides)).bindOrCreate("relay", RelayProperties.class);
    }
}
