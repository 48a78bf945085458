package dev.monitoring.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** {@code POST /api/runs?job=} naming no job of the catalog (400), with the jobs there are. */
@Schema(name = "UnknownJob")
public record UnknownJob(String error, @JsonProperty("known_jobs") List<String> knownJobs) {
}
