package dev.monitoring.runner.execution;

import dev.monitoring.model.LogText;
import dev.monitoring.runner.config.RunnerConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Decides whether a failed process is worth retrying: transient (network, 5xx, EX_TEMPFAIL) or permanent.
 *
 * <p>Stderr is untrusted text and the patterns are configured regexes, so the work is bounded twice: the text is cut
 * to {@code runner.failures.stderr-tail-max-chars} (its end, where the error is) before any pattern sees it, and each
 * search gives up after a number of steps proportional to the text, so a pattern that backtracks badly costs a few
 * milliseconds instead of a worker thread.
 */
@ApplicationScoped
public class FailureClassifier {
    /** A linear pattern reads each character a few times; a hundred reads per character is backtracking. */
    static final int STEPS_PER_CHAR = 100;
    private static final int MIN_STEPS = 100_000;

    private final Set<Integer> transientExitCodes;
    private final List<Pattern> transientPatterns;
    private final int maxChars;
    private final Map<String, Pattern> jobPatterns = new ConcurrentHashMap<>();

    public FailureClassifier(RunnerConfig config) {
        this.transientExitCodes = Set.copyOf(config.failures().transientExitCodes());
        this.transientPatterns = config.failures().transientPatterns().stream().map(FailureClassifier::compile).toList();
        this.maxChars = Math.max(1, config.failures().stderrTailMaxChars());
    }

    public boolean isTransient(int exitCode, String stderrTail, List<String> jobPatterns) {
        if (transientExitCodes.contains(exitCode)) {
            return true;
        }
        String text = stderrTail == null ? ""
                : stderrTail.length() > maxChars ? stderrTail.substring(stderrTail.length() - maxChars) : stderrTail;
        return transientPatterns.stream().anyMatch(p -> finds(p, text))
                || jobPatterns.stream().map(r -> this.jobPatterns.computeIfAbsent(r, FailureClassifier::compile))
                .anyMatch(p -> finds(p, text));
    }

    private static boolean finds(Pattern pattern, String text) {
        try {
            return pattern.matcher(new CountedText(text, Math.max(MIN_STEPS, (long) STEPS_PER_CHAR * text.length()))).find();
        } catch (CountedText.OutOfSteps e) {
            Log.warnf("Transient pattern '%s' gave up on %d characters of stderr (it backtracks too much): no match",
                    LogText.safe(pattern.pattern()), text.length());
            return false;
        }
    }

    private static Pattern compile(String regex) {
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    }

    /** Text that counts the characters a regex reads and stops it once it has read too many. */
    private static final class CountedText implements CharSequence {
        private final String text;
        private long stepsLeft;

        CountedText(String text, long steps) {
            this.text = text;
            this.stepsLeft = steps;
        }

        @Override
        public char charAt(int index) {
            if (--stepsLeft < 0) {
                throw new OutOfSteps();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }

        /** Thrown through the regex engine; no stack trace, it is only a signal. */
        static final class OutOfSteps extends RuntimeException {
            OutOfSteps() {
                super("regex step budget exhausted", null, false, false);
            }
        }
    }
}
