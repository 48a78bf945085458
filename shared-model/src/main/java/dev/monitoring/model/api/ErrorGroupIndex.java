package dev.monitoring.model.api;

import dev.monitoring.model.grouping.FingerprintRule;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * What a consumer needs to find the group of an error as the monitor does ({@code /api/errors/groups/index}): the
 * fingerprint rules in the order they are tried, the merges (fingerprint to the group it counts in), and the
 * ignored groups. The gateway marks live errors of ignored groups with it.
 */
@Schema(name = "ErrorGroupIndex")
public record ErrorGroupIndex(List<FingerprintRule> rules, Map<String, String> merges, List<String> ignored) {
}
