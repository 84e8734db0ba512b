package io.outboxcdc.order.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyKeyTests {

    @Test
    void acceptsOneTo128PrintableCharacters() {
        assertThat(new IdempotencyKey("a").value()).isEqualTo("a");
        assertThat(new IdempotencyKey("x".repeat(128)).value()).hasSize(128);
        assertThat(new IdempotencyKey("order 42/retry=1").value()).isEqualTo("order 42/retry=1");
        assertThat(IdempotencyKey.ofHeader(null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "tab\there", "caf\u00e9", "new\nline"})
    void rejectsEmptyBlankAndNonPrintable(String value) {
        assertThatThrownBy(() -> new IdempotencyKey(value)).isInstanceOf(InvalidIdempotencyKeyException.class);
    }

    @Test
    void rejectsMoreThan128Characters() {
        assertThatThrownBy(() -> new IdempotencyKey("x".repeat(129)))
                .isInstanceOf(InvalidIdempotencyKeyException.class);
    }
}
