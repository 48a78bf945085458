package dev.monitoring.system.k8s;

import java.math.BigDecimal;
import java.util.Map;

/** Kubernetes resource quantities (250m, 1, 512Mi, 1Gi) as comparable numbers. */
final class Quantities {
    private static final Map<String, BigDecimal> SUFFIXES = Map.of(
            "m", new BigDecimal("0.001"),
            "Ki", BigDecimal.valueOf(1L << 10), "Mi", BigDecimal.valueOf(1L << 20), "Gi", BigDecimal.valueOf(1L << 30),
            "k", BigDecimal.valueOf(1_000L), "M", BigDecimal.valueOf(1_000_000L), "G", BigDecimal.valueOf(1_000_000_000L));

    private Quantities() {
    }

    static BigDecimal parse(String quantity) {
        for (Map.Entry<String, BigDecimal> s : SUFFIXES.entrySet()) {
            if (quantity.endsWith(s.getKey()) && Character.isDigit(quantity.charAt(quantity.length() - s.getKey().length() - 1))) {
                return new BigDecimal(quantity.substring(0, quantity.length() - s.getKey().length())).multiply(s.getValue());
            }
        }
        return new BigDecimal(quantity);
    }
}
