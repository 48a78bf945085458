package dev.monitoring.runner.execution;

import dev.monitoring.runner.config.RunnerConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Decides whether a failed process is worth retrying: transient (network, 5xx, EX_TEMPFAIL) or permanent. */
@ApplicationScoped
public class FailureClassifier {
    private final Set<Integer> transientExitCodes;
    private final List<Pattern> transientPatterns;

    public FailureClassifier(RunnerConfig config) {
        this.transientExitCodes = Set.copyOf(config.failures().transientExitCodes());
        this.transientPatterns = config.failures().transientPatterns().stream().map(FailureClassifier::compile).toList();
    }

    public boolean isTransient(int exitCode, String stderrTail, List<String> jobPatterns) {
        if (transientExitCodes.contains(exitCode)) {
            return true;
        }
        String text = stderrTail == null ? "" : stderrTail;
        return transientPatterns.stream().anyMatch(p -> p.matcher(text).find())
                || jobPatterns.stream().map(FailureClassifier::compile).anyMatch(p -> p.matcher(text).find());
    }

    private static Pattern compile(String regex) {
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    }
}
