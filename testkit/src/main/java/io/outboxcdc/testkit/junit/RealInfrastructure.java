package io.outboxcdc.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class a real PostgreSQL (logical decoding on) and a real Kafka broker process, shared by all
 * test classes of the JVM; inject {@link TestInfrastructure} into a constructor, a lifecycle or a test method.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(InfrastructureExtension.class)
public @interface RealInfrastructure {
}
