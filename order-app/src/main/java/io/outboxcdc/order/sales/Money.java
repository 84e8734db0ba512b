package io.outboxcdc.order.sales;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which currencies order-app accepts, and how many fraction digits an amount in each may have.
 *
 * <p>Legal tender: the currency some country uses today, by the JDK's ISO 4217 data (which applies cutover dates,
 * e.g. HRK to EUR in 2023). That leaves out what ISO lists but no country pays with: "no currency" (XXX), test
 * (XTS), precious metals (XAU, XAG, XPT, XPD), IMF and development-bank units (XDR, XSU, XUA, XBA-XBD), funds
 * codes (USN, CHE, CHW, CLF, BOV, COU, MXV, UYI, UYW) and withdrawn currencies (DEM, HRK, ...).
 *
 * <p>Amounts are stored as {@code numeric(19,2)} here and in billing, so a currency with three minor digits
 * (BHD, IQD, JOD, KWD, LYD, OMR, TND) is refused instead of being rounded.
 */
public final class Money {

    /** Fraction digits every amount column holds. */
    public static final int STORED_SCALE = 2;

    private static final Set<String> LEGAL_TENDER = legalTender();
    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

    private Money() {
    }

    /** @return null if {@code code} is acceptable, otherwise why not (a validation message) */
    public static String refusal(String code) {
        if (code == null || !CODE.matcher(code).matches() || !LEGAL_TENDER.contains(code)) {
            return "must be the ISO 4217 code of a currency that is legal tender, such as EUR";
        }
        int digits = Currency.getInstance(code).getDefaultFractionDigits();
        if (digits > STORED_SCALE) {
            return "is not supported: " + code + " has " + digits + " minor digits, amounts are kept with at most "
                    + STORED_SCALE;
        }
        return null;
    }

    /** Fraction digits of {@code code}, an accepted currency (JPY 0, EUR 2). */
    public static int fractionDigits(String code) {
        return Currency.getInstance(code).getDefaultFractionDigits();
    }

    /** @return true if {@code amount} needs no more fraction digits than {@code code} has (24.50 EUR, 2490 JPY) */
    public static boolean fitsMinorUnit(BigDecimal amount, String code) {
        return amount.stripTrailingZeros().scale() <= fractionDigits(code);
    }

    /**
     * {@code amount} written with exactly the currency's fraction digits (2490 JPY, 24.90 EUR). An amount that does
     * not fit (an order stored before currencies were checked) is returned as stored, never rounded.
     */
    public static BigDecimal inCurrency(BigDecimal amount, String code) {
        int digits;
        try {
            digits = Currency.getInstance(code).getDefaultFractionDigits();
        } catch (IllegalArgumentException unknown) {
            return amount;
        }
        if (digits < 0 || amount.stripTrailingZeros().scale() > digits) {
            return amount;
        }
        return amount.setScale(digits, RoundingMode.UNNECESSARY);
    }

    /** The accepted currencies, sorted: legal tender with at most {@link #STORED_SCALE} minor digits. */
    public static Set<String> accepted() {
        Set<String> accepted = new TreeSet<>();
        LEGAL_TENDER.stream().filter(code -> refusal(code) == null).forEach(accepted::add);
        return accepted;
    }

    private static Set<String> legalTender() {
        Set<String> codes = new TreeSet<>();
        for (String country : Locale.getISOCountries()) {
            Currency currency = Currency.getInstance(new Locale("", country));
            if (currency != null && currency.getDefaultFractionDigits() >= 0) {
                codes.add(currency.getCurrencyCode());
            }
        }
        return Set.copyOf(codes);
    }
}
