package dev.monitoring.gateway.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.monitoring.model.Category;
import dev.monitoring.model.Severity;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one client wants of the error frames: a minimum severity (never below {@code warning}, the
 * gateway's own floor), a set of categories (empty: all) and a symbol (null: all). Alerts and
 * execution frames are not filtered.
 */
public record ClientFilter(Severity minSeverity, Set<Category> categories, String symbol) {
    public static final Severity FLOOR = Severity.WARNING;
    public static final ClientFilter ALL = new ClientFilter(FLOOR, Set.of(), null);
    private static final Set<String> FIELDS = Set.of("min_severity", "categories", "symbol");
    private static final String CATEGORY_NAMES = Arrays.stream(Category.values()).map(Category::wireName)
            .collect(Collectors.joining(", "));

    public boolean accepts(LiveFrame frame) {
        if (!frame.isError()) {
            return true;
        }
        return frame.severity().atLeast(minSeverity)
                && (categories.isEmpty() || categories.contains(frame.category()))
                && (symbol == null || symbol.equalsIgnoreCase(frame.symbol()));
    }

    /** Reads the {@code filter} object a client sent; null or {} is "everything". */
    public static ClientFilter parse(JsonNode node) throws InvalidFilterException {
        if (node == null || node.isNull()) {
            return ALL;
        }
        if (!node.isObject()) {
            throw new InvalidFilterException("'filter' must be an object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidFilterException("unknown filter field '" + name + "' (allowed: min_severity, categories, symbol)");
            }
        }
        Severity min = FLOOR;
        JsonNode minNode = node.get("min_severity");
        if (minNode != null && !minNode.isNull()) {
            if (!minNode.isTextual()) {
                throw new InvalidFilterException("'min_severity' must be a string");
            }
            min = Severity.parse(minNode.textValue()).orElseThrow(() -> new InvalidFilterException(
                    "unknown min_severity '" + minNode.textValue() + "' (allowed: " + Severity.ALLOWED + ")"));
            if (!min.atLeast(FLOOR)) {
                min = FLOOR;
            }
        }
        Set<Category> categories = EnumSet.noneOf(Category.class);
        JsonNode catNode = node.get("categories");
        if (catNode != null && !catNode.isNull()) {
            if (!catNode.isArray()) {
                throw new InvalidFilterException("'categories' must be an array of strings");
            }
            for (JsonNode c : catNode) {
                if (!c.isTextual()) {
                    throw new InvalidFilterException("'categories' must be an array of strings");
                }
                Category category = Category.parse(c.textValue());
                if (category == Category.UNKNOWN && !"unknown".equals(c.textValue().trim().toLowerCase(Locale.ROOT))) {
                    throw new InvalidFilterException("unknown category '" + c.textValue() + "' (allowed: " + CATEGORY_NAMES + ")");
                }
                categories.add(category);
            }
        }
        String symbol = null;
        JsonNode symbolNode = node.get("symbol");
        if (symbolNode != null && !symbolNode.isNull()) {
            if (!symbolNode.isTextual()) {
                throw new InvalidFilterException("'symbol' must be a string");
            }
            symbol = symbolNode.textValue().isBlank() ? null : symbolNode.textValue().trim();
        }
        return new ClientFilter(min, Set.copyOf(categories), symbol);
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("min_severity", minSeverity.wireName());
        var list = json.putArray("categories");
        categories.stream().map(Category::wireName).sorted().forEach(list::add);
        json.put("symbol", symbol);
        return json;
    }

    /** A filter a client sent that cannot be applied; the message is the reason sent back. */
    public static class InvalidFilterException extends Exception {
        public InvalidFilterException(String reason) {
            super(reason, null, false, false);
        }
    }
}
