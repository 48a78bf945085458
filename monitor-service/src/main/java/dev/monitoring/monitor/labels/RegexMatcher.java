package dev.monitoring.monitor.labels;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code label =~ pattern}, matched against the WHOLE value (Alertmanager style: {@code crit.*} does not match
 * {@code "not critical"}); a missing label counts as "".
 * <p>
 * Label values quote event text, so the work is bounded: only the first {@value #MAX_INPUT} characters of the value
 * are looked at, and a match that reads more than {@value #MAX_STEPS} characters (a pattern backtracking on a crafted
 * value) is stopped and counts as no match. Patterns of ordinary routes need a few hundred reads at most.
 */
public final class RegexMatcher implements LabelMatcher {
    /** Characters of a value the pattern sees. */
    public static final int MAX_INPUT = 300;
    /** Character reads one match may do before it is given up as "no match". */
    public static final int MAX_STEPS = 100_000;

    private final String label;
    private final String value;
    private final Pattern pattern;

    /** @throws IllegalArgumentException on an unknown label or an invalid pattern, with the reason */
    public RegexMatcher(String label, String value) {
        this.label = LabelMatcher.checkLabel(label);
        this.value = Objects.requireNonNull(value, "value");
        try {
            this.pattern = Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression '" + value + "': " + e.getDescription()
                    + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""), e);
        }
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String value() {
        return value;
    }

    @Override
    public boolean regex() {
        return true;
    }

    @Override
    public boolean matches(String actual) {
        String text = actual == null ? "" : actual;
        if (text.length() > MAX_INPUT) {
            text = text.substring(0, MAX_INPUT);
        }
        try {
            return pattern.matcher(new BoundedText(text, MAX_STEPS)).matches();
        } catch (TooMuchWork | StackOverflowError e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegexMatcher m && m.label.equals(label) && m.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, value, true);
    }

    @Override
    public String toString() {
        return label + "=~\"" + value + "\"";
    }

    /** Thrown by {@link BoundedText} when the matcher has read too much; no stack trace, it is expected. */
    private static final class TooMuchWork extends RuntimeException {
        TooMuchWork() {
            super("regular expression gave up", null, false, false);
        }
    }

    /** The text, counting every character the matcher reads (its work, backtracking included). */
    private static final class BoundedText implements CharSequence {
        private final String text;
        private final int offset;
        private final int length;
        private final int[] budget;

        BoundedText(String text, int maxSteps) {
            this(text, 0, text.length(), new int[]{maxSteps});
        }

        private BoundedText(String text, int offset, int length, int[] budget) {
            this.text = text;
            this.offset = offset;
            this.length = length;
            this.budget = budget;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            if (--budget[0] < 0) {
                throw new TooMuchWork();
            }
            if (index < 0 || index >= length) {
                throw new IndexOutOfBoundsException(index);
            }
            return text.charAt(offset + index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            if (start < 0 || end > length || start > end) {
                throw new IndexOutOfBoundsException();
            }
            return new BoundedText(text, offset + start, end - start, budget);
        }

        @Override
        public String toString() {
            return text.substring(offset, offset + length);
        }
    }
}
