package io.outboxcdc.billing.event;

import io.outboxcdc.contracts.EventHeaders;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a Kafka record of the {@code orders} topic into a {@link SequencedEvent}, or says why it is poison.
 *
 * <p>Validation is strict on purpose: everything PostgreSQL would check is checked here, with the limits of
 * {@link ColumnLimits} (amount scale and precision, currency and customer id length, no U+0000 in any text or
 * anywhere in the payload, which is stored as jsonb when parked, instants within range), so a record billing
 * cannot store is dead-lettered at once instead of failing a whole batch in the database.
 */
public final class EventParser {

    public static final String ID_HEADER = EventHeaders.ID;
    public static final String EVENT_TYPE_HEADER = EventHeaders.EVENT_TYPE;
    public static final String SEQUENCE_HEADER = EventHeaders.AGGREGATE_SEQUENCE;
    public static final int SUPPORTED_SCHEMA_VERSION = 1;

    private static final Logger log = LoggerFactory.getLogger(EventParser.class);
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{" + ColumnLimits.CURRENCY_CHARACTERS + "}");

    // Floats as BigDecimal: 49.98 must stay 49.98, not the nearest double.
    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    public SequencedEvent parse(byte[] key, byte[] value, Headers headers) {
        UUID headerId = uuid(requiredHeader(headers, ID_HEADER), "header " + ID_HEADER);
        EventType type = EventType.fromHeader(requiredHeader(headers, EVENT_TYPE_HEADER));
        long sequence = sequence(requiredHeader(headers, SEQUENCE_HEADER));
        if (value == null) {
            throw new PoisonRecordException("record has no value");
        }
        String payload = utf8(value, "value");
        OrderEvent event = parsePayload(type, payload);
        if (!event.eventId().equals(headerId)) {
            throw new PoisonRecordException("header id " + headerId + " differs from payload eventId "
                    + event.eventId());
        }
        if (key != null && !sameOrder(key, event.orderId())) {
            // The payload is authoritative and the sequence gate does not rely on partitioning, so this only
            // costs ordering guarantees upstream; worth a warning, not a dead letter.
            log.warn("Record key does not match orderId {} of event {}", event.orderId(), event.eventId());
        }
        return new SequencedEvent(event, sequence, payload);
    }

    /** Parses and validates a payload of the given type; also used for parked events. */
    public OrderEvent parsePayload(EventType type, String payload) {
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (JacksonException e) {
            throw new PoisonRecordException("value is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new PoisonRecordException("value is not a JSON object");
        }
        // The payload is stored as jsonb when the event is parked: anything jsonb refuses is poison now.
        checkStorable(root, "$");
        JsonNode version = required(root, "schemaVersion");
        if (!version.isIntegralNumber() || !version.canConvertToInt()) {
            throw new PoisonRecordException("schemaVersion must be an integer, was " + version.getNodeType());
        }
        if (version.intValue() != SUPPORTED_SCHEMA_VERSION) {
            throw new PoisonRecordException("unsupported schemaVersion " + version.intValue() + " (supported: "
                    + SUPPORTED_SCHEMA_VERSION + ")");
        }
        UUID eventId = uuid(text(root, "eventId"), "eventId");
        UUID orderId = uuid(text(root, "orderId"), "orderId");
        Instant occurredAt = instant(text(root, "occurredAt"));
        return switch (type) {
            case ORDER_CREATED -> new OrderCreated(eventId, orderId, customerId(root), currency(root),
                    amount(root, "total"), items(root), occurredAt);
            case ORDER_CANCELLED -> new OrderCancelled(eventId, orderId, occurredAt);
        };
    }

    private static String customerId(JsonNode root) {
        String customerId = text(root, "customerId");
        if (customerId.isBlank() || !ColumnLimits.fitsText(customerId, ColumnLimits.CUSTOMER_ID_MAX_CHARACTERS)) {
            throw new PoisonRecordException("customerId must be 1.." + ColumnLimits.CUSTOMER_ID_MAX_CHARACTERS
                    + " characters without U+0000");
        }
        return customerId;
    }

    private static String currency(JsonNode root) {
        String currency = text(root, "currency");
        if (!CURRENCY.matcher(currency).matches()) {
            throw new PoisonRecordException("currency must be three upper-case letters, was '" + currency + "'");
        }
        return currency;
    }

    private static List<OrderCreated.Item> items(JsonNode root) {
        JsonNode items = required(root, "items");
        if (!items.isArray() || items.isEmpty()) {
            throw new PoisonRecordException("items must be a non-empty array");
        }
        List<OrderCreated.Item> result = new ArrayList<>();
        for (JsonNode item : items) {
            if (!item.isObject()) {
                throw new PoisonRecordException("items must contain objects");
            }
            String sku = text(item, "sku");
            JsonNode quantity = required(item, "quantity");
            if (!quantity.isIntegralNumber() || !quantity.canConvertToInt() || quantity.intValue() < 1) {
                throw new PoisonRecordException("quantity must be a positive integer");
            }
            result.add(new OrderCreated.Item(sku, quantity.intValue(), amount(item, "unitPrice")));
        }
        return result;
    }

    private static BigDecimal amount(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isNumber()) {
            throw new PoisonRecordException(field + " must be a number, was " + value.getNodeType());
        }
        BigDecimal amount = value.decimalValue();
        if (amount.signum() < 0) {
            throw new PoisonRecordException(field + " must not be negative");
        }
        if (!ColumnLimits.fitsAmount(amount)) {
            throw new PoisonRecordException(field + " " + amount.toPlainString() + " does not fit numeric("
                    + ColumnLimits.AMOUNT_PRECISION + "," + ColumnLimits.AMOUNT_SCALE + ")");
        }
        return amount.setScale(ColumnLimits.AMOUNT_SCALE);
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new PoisonRecordException("missing field " + field);
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isString()) {
            throw new PoisonRecordException(field + " must be a string, was " + value.getNodeType());
        }
        return value.stringValue();
    }

    private static UUID uuid(String value, String what) {
        try {
            UUID uuid = UUID.fromString(value);
            // UUID.fromString accepts abbreviated forms such as "1-2-3-4-5".
            if (value.length() != 36) {
                throw new IllegalArgumentException("not canonical");
            }
            return uuid;
        } catch (IllegalArgumentException e) {
            throw new PoisonRecordException(what + " is not a UUID: '" + value + "'");
        }
    }

    private static Instant instant(String value) {
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new PoisonRecordException("occurredAt is not an ISO-8601 instant: '" + value + "'");
        }
        if (!ColumnLimits.fitsInstant(instant)) {
            throw new PoisonRecordException("occurredAt " + value + " is outside " + ColumnLimits.EARLIEST_INSTANT
                    + " .. " + ColumnLimits.LATEST_INSTANT);
        }
        return instant;
    }

    /** Every name and string without U+0000, every number within PostgreSQL's numeric: what jsonb accepts. */
    private static void checkStorable(JsonNode node, String path) {
        if (node.isString() && node.stringValue().indexOf(ColumnLimits.NUL) >= 0) {
            throw new PoisonRecordException(path + " contains U+0000, which PostgreSQL text cannot hold");
        }
        if (node.isNumber() && !ColumnLimits.fitsJsonbNumber(node.decimalValue())) {
            throw new PoisonRecordException(path + " is a number beyond PostgreSQL's numeric");
        }
        if (node.isObject()) {
            for (var property : node.properties()) {
                if (property.getKey().indexOf(ColumnLimits.NUL) >= 0) {
                    throw new PoisonRecordException(path + " has a field name containing U+0000");
                }
                checkStorable(property.getValue(), path + "." + property.getKey());
            }
        } else if (node.isArray()) {
            int index = 0;
            for (JsonNode element : node) {
                checkStorable(element, path + "[" + index++ + "]");
            }
        }
    }

    private static long sequence(String value) {
        try {
            long sequence = Long.parseLong(value);
            if (sequence < 1) {
                throw new NumberFormatException("not positive");
            }
            return sequence;
        } catch (NumberFormatException e) {
            throw new PoisonRecordException("header " + SEQUENCE_HEADER + " must be a positive integer, was '"
                    + value + "'");
        }
    }

    private static String requiredHeader(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            throw new PoisonRecordException("missing header " + name);
        }
        return unquoted(utf8(header.value(), "header " + name));
    }

    /** Tolerates a JSON-encoded string header ({@code "abc"}), which a JSON header converter would produce. */
    private static String unquoted(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static boolean sameOrder(byte[] key, UUID orderId) {
        try {
            return UUID.fromString(unquoted(utf8(key, "key"))).equals(orderId);
        } catch (IllegalArgumentException | PoisonRecordException e) {
            return false;
        }
    }

    static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new PoisonRecordException(what + " is not valid UTF-8", e);
        }
    }
}
