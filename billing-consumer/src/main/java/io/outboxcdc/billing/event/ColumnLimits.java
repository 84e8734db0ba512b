package io.outboxcdc.billing.event;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The one definition of what the billing schema ({@code db/migrations/billing}) accepts, checked by the parser
 * so that PostgreSQL never has to refuse a record: a refusal at the database would cost a failed batch and a
 * search for the culprit. {@code BillingConsumerIntegrationTests} compares these numbers with
 * {@code information_schema}, so a migration that changes a column fails the build until this class follows.
 */
public final class ColumnLimits {

    /** {@code invoices.customer_id varchar(64)}: PostgreSQL counts characters (code points). */
    public static final int CUSTOMER_ID_MAX_CHARACTERS = 64;
    /** {@code invoices.currency char(3)}. */
    public static final int CURRENCY_CHARACTERS = 3;
    /** {@code invoices.amount numeric(19,2)}. */
    public static final int AMOUNT_PRECISION = 19;
    public static final int AMOUNT_SCALE = 2;
    /**
     * {@code timestamptz} ends in the year 294276; billing accepts a narrower, sane window (an order placed
     * before the epoch or after the year 9999 is a broken producer, not a business event). Years above 9999 are
     * also where ISO-8601 text needs a sign and drivers disagree.
     */
    public static final Instant EARLIEST_INSTANT = Instant.parse("1970-01-01T00:00:00Z");
    public static final Instant LATEST_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");
    /** PostgreSQL {@code numeric} (also inside {@code jsonb}): at most this many digits after the point. */
    public static final int NUMERIC_MAX_SCALE = 16383;
    /** ... and at most this many before it. */
    public static final int NUMERIC_MAX_INTEGER_DIGITS = 131072;
    /** PostgreSQL text, varchar and jsonb strings cannot hold U+0000. */
    public static final char NUL = '\u0000';

    private ColumnLimits() {
    }

    public static boolean fitsText(String value, int maxCharacters) {
        return value.indexOf(NUL) < 0 && value.codePointCount(0, value.length()) <= maxCharacters;
    }

    public static boolean fitsAmount(BigDecimal amount) {
        BigDecimal normalised = amount.stripTrailingZeros();
        int integerDigits = Math.max(normalised.precision() - normalised.scale(), 0);
        return normalised.scale() <= AMOUNT_SCALE && integerDigits <= AMOUNT_PRECISION - AMOUNT_SCALE;
    }

    public static boolean fitsInstant(Instant instant) {
        return !instant.isBefore(EARLIEST_INSTANT) && !instant.isAfter(LATEST_INSTANT);
    }

    /** Whether a JSON number survives {@code jsonb} (which stores it as {@code numeric}). */
    public static boolean fitsJsonbNumber(BigDecimal number) {
        return number.scale() <= NUMERIC_MAX_SCALE
                && number.precision() - number.scale() <= NUMERIC_MAX_INTEGER_DIGITS;
    }
}
