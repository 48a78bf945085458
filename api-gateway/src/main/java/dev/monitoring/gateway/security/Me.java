package dev.monitoring.gateway.security;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Who is logged in, so the dashboard can show or hide the admin actions. */
@Schema(name = "Me")
public record Me(@Schema(example = "admin") String user, @Schema(example = "[\"admin\",\"viewer\"]") List<String> roles) {
}
