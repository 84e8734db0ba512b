package io.outboxcdc.order.sales;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

// Issue 14: legal tender only, amounts in the currency's minor unit.
class MoneyTests {

    @ParameterizedTest
    @ValueSource(strings = {"XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XDR", "XSU", "XUA", "XBA", "XBB", "XBC", "XBD",
            "USN", "CHE", "CHW", "CLF", "BOV", "COU", "MXV", "UYI", "UYW", "DEM", "FRF", "HRK", "ABC", "eur", "EURO"})
    void refusesWhatIsNotLegalTender(String code) {
        assertThat(Money.refusal(code)).contains("legal tender");
        assertThat(Money.accepted()).doesNotContain(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"})
    void refusesThreeMinorDigitsSayingWhy(String code) {
        assertThat(Money.refusal(code)).isEqualTo("is not supported: " + code
                + " has 3 minor digits, amounts are kept with at most 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"EUR", "USD", "GBP", "CHF", "JPY", "KRW", "CNY", "INR", "BRL", "XAF", "XOF", "XCD", "XPF"})
    void acceptsCurrenciesCountriesPayWith(String code) {
        assertThat(Money.refusal(code)).isNull();
        assertThat(Money.accepted()).contains(code);
    }

    @Test
    void theEventSchemaListsExactlyTheAcceptedCurrenciesWithoutMinorUnit() throws Exception {
        JsonNode schema;
        try (InputStream in = MoneyTests.class.getResourceAsStream("/contracts/order-created.v1.schema.json")) {
            schema = JsonMapper.builder().build().readTree(in);
        }
        Set<String> inSchema = new TreeSet<>();
        schema.at("/allOf/0/if/properties/currency/enum").forEach(code -> inSchema.add(code.asString()));
        Set<String> withoutMinorUnit = new TreeSet<>();
        Money.accepted().stream().filter(code -> Money.fractionDigits(code) == 0).forEach(withoutMinorUnit::add);

        assertThat(inSchema).isEqualTo(withoutMinorUnit).contains("JPY", "KRW");
    }

    @Test
    void anAmountFitsWhenItsValueNeedsNoMoreDigitsThanTheCurrencyHas() {
        assertThat(Money.fitsMinorUnit(new BigDecimal("2490"), "JPY")).isTrue();
        assertThat(Money.fitsMinorUnit(new BigDecimal("2490.00"), "JPY")).isTrue();
        assertThat(Money.fitsMinorUnit(new BigDecimal("2490.5"), "JPY")).isFalse();
        assertThat(Money.fitsMinorUnit(new BigDecimal("24.990"), "EUR")).isTrue();
        assertThat(Money.fitsMinorUnit(new BigDecimal("24.995"), "EUR")).isFalse();
    }

    @Test
    void amountsAreWrittenWithTheCurrencysDigits() {
        assertThat(Money.inCurrency(new BigDecimal("2490.00"), "JPY")).hasToString("2490");
        assertThat(Money.inCurrency(new BigDecimal("24.9"), "EUR")).hasToString("24.90");
        // A legacy row (accepted before currencies were checked) is shown as stored, never rounded.
        assertThat(Money.inCurrency(new BigDecimal("24.99"), "JPY")).hasToString("24.99");
        assertThat(Money.inCurrency(new BigDecimal("1.00"), "XXX")).hasToString("1.00");
    }
}
