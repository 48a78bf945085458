package dev.monitoring.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The {@code event} field of an execution event: a run-level ({@code run.*}) or a job-level ({@code job.*}) event. */
public enum ExecutionEventType {
    RUN_STARTED("run.started", ExecutionStatus.RUNNING),
    RUN_PROGRESS("run.progress", ExecutionStatus.RUNNING),
    RUN_COMPLETED("run.completed", ExecutionStatus.COMPLETED),
    RUN_FAILED("run.failed", ExecutionStatus.FAILED),
    RUN_CANCELLED("run.cancelled", ExecutionStatus.CANCELLED),
    JOB_STARTED("job.started", ExecutionStatus.RUNNING),
    JOB_SUCCEEDED("job.succeeded", ExecutionStatus.COMPLETED),
    JOB_FAILED("job.failed", ExecutionStatus.FAILED);

    public static final String ALLOWED = Arrays.stream(values()).map(ExecutionEventType::wireName).collect(Collectors.joining(", "));

    private final String wireName;
    private final ExecutionStatus impliedStatus;

    ExecutionEventType(String wireName, ExecutionStatus impliedStatus) {
        this.wireName = wireName;
        this.impliedStatus = impliedStatus;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The status an event of this type stands for when the event does not say it. */
    public ExecutionStatus impliedStatus() {
        return impliedStatus;
    }

    public boolean isRunLevel() {
        return wireName.startsWith("run.");
    }

    public static Optional<ExecutionEventType> parse(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    @JsonCreator
    static ExecutionEventType fromJson(String name) {
        return parse(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown event '" + name + "' (allowed: " + ALLOWED + ")"));
    }
}
