package io.outboxcdc.order.sales;

import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a canonical form of a validated request: field order, whitespace and number spelling (24.9 vs
 * 24.90) of the JSON do not matter, every value does. Strings are length-prefixed so no two requests collide
 * by concatenation.
 */
final class RequestFingerprint {

    private RequestFingerprint() {
    }

    static String of(CreateOrderRequest request) {
        StringBuilder canonical = new StringBuilder("v1");
        append(canonical, request.customerId());
        append(canonical, request.currency());
        canonical.append('|').append(request.items().size());
        for (CreateOrderRequest.Item item : request.items()) {
            append(canonical, item.sku());
            canonical.append('|').append(item.quantity());
            canonical.append('|').append(item.unitPrice().setScale(2, RoundingMode.UNNECESSARY).toPlainString());
        }
        return sha256(canonical.toString());
    }

    private static void append(StringBuilder canonical, String value) {
        canonical.append('|').append(value.length()).append(':').append(value);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
