package io.outboxcdc.system.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.outboxcdc.system.stack.StackConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19: each default lives once, in the service (its properties records or its application.yml). The module
 * READMEs list the keys with their defaults for the reader; this test holds every listed default to the one the
 * service declares ({@link ServiceConfiguration}), so the README cannot drift from the code.
 */
class ReadmeDefaultsTests {

    private static final Path HOME = StackConfig.findHome();
    /** A row of a configuration table: | `key` ... | `default` ... | meaning |. */
    private static final Pattern ROW = Pattern.compile("^\\| ([^|]*`[a-z][^|]*) \\| ([^|]*) \\|");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");

    @ParameterizedTest
    @ValueSource(strings = {"order-app", "outbox-relay", "billing-consumer"})
    void everyDefaultTheReadmeListsIsTheServicesOwn(String module) throws IOException {
        ServiceConfiguration configuration = ServiceConfiguration.of(HOME, module);
        Map<String, String> listed = listedDefaults(HOME.resolve(module).resolve("README.md"));
        List<String> checked = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        listed.forEach((key, value) -> configuration.defaultValue(key).ifPresent(actual -> {
            checked.add(key);
            if (!sameValue(value, actual)) {
                wrong.add(key + ": README says " + value + ", the service's default is " + actual);
            }
        }));
        assertThat(checked).as("%s/README.md: defaults checked against the service", module).hasSizeGreaterThan(10);
        assertThat(wrong).as("%s/README.md: listed defaults that are not the service's", module).isEmpty();
    }

    /** Key to listed default, from the rows of the README's configuration tables. */
    private static Map<String, String> listedDefaults(Path readme) throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String line : Files.readAllLines(readme)) {
            Matcher row = ROW.matcher(line);
            if (!row.find()) {
                continue;
            }
            List<String> keys = keys(row.group(1));
            String[] values = row.group(2).split(" / ");
            if (keys.isEmpty() || keys.size() != values.length) {
                continue;
            }
            for (int i = 0; i < keys.size(); i++) {
                String value = value(values[i]);
                if (value != null && !keys.get(i).contains("<")) {
                    defaults.put(keys.get(i), value);
                }
            }
        }
        return defaults;
    }

    /**
     * {@code `relay.offsets.topic` / `.replication-factor`}: a name that starts with a dot, or has none, is a sibling
     * of the first one.
     */
    private static List<String> keys(String cell) {
        List<String> keys = new ArrayList<>();
        for (String part : cell.split(" / ")) {
            Matcher code = CODE.matcher(part);
            if (!code.find()) {
                return List.of();
            }
            String key = code.group(1);
            if (keys.isEmpty()) {
                if (!key.contains(".")) {
                    return List.of(); // not a property (e.g. a JSON field of the API tables)
                }
            } else if (key.startsWith(".") || !key.contains(".")) {
                String first = keys.get(0);
                key = first.substring(0, first.lastIndexOf('.')) + (key.startsWith(".") ? key : "." + key);
            }
            keys.add(key);
        }
        return keys;
    }

    /** The default of a cell: its first code span; "(empty)" is the empty string; "–" means none. */
    private static String value(String cell) {
        String trimmed = cell.trim();
        if (trimmed.replace("*", "").equals("(empty)")) {
            return "";
        }
        Matcher code = CODE.matcher(trimmed);
        return code.find() ? code.group(1) : null;
    }

    private static boolean sameValue(String listed, String actual) {
        if (listed.equalsIgnoreCase(actual)) {
            return true;
        }
        try {
            return new BigDecimal(listed).compareTo(new BigDecimal(actual)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
