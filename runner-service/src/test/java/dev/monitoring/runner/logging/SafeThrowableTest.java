package dev.monitoring.runner.logging;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.Level;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An exception logged with its stack trace, through the log manager's own formatter: no forged line gets through. */
class SafeThrowableTest {
    /** What each printed line may be: the message with the throwable's header, a stack frame, a "... n more". */
    private static final String LEGITIMATE = "Batch run crashed: java\\.lang\\.IllegalStateException: .*"
            + "|Caused by: java\\.lang\\.RuntimeException: .*|\\s+at .*|\\s+\\.\\.\\. \\d+ more";

    @Test
    void theStackTraceKeepsItsFramesAndCausesWithSafeMessages() {
        String out = format(SafeThrowable.of(hostile()));

        assertThat(out.lines()).isNotEmpty().allSatisfy(line -> assertThat(line).matches(LEGITIMATE));
        assertThat(out)
                .contains("java.lang.IllegalStateException: runner database: value 'x\\n12:00:00 INFO  [forged] all good'")
                .contains("Caused by: java.lang.RuntimeException: cause\\r\\n12:00:00 INFO  [forged] fine")
                .contains("at dev.monitoring.runner.logging.SafeThrowableTest.hostile(SafeThrowableTest.java:");
    }

    @Test
    void theOriginalWouldForgeLines() {
        assertThat(format(hostile()).lines()).anyMatch(line -> line.startsWith("12:00:00 INFO  [forged]"));
    }

    @Test
    void nullAndAlreadySafeAreLeftAlone() {
        Throwable safe = SafeThrowable.of(new IllegalStateException());
        assertThat(SafeThrowable.of(safe)).isSameAs(safe);
        assertThat(safe).hasToString("java.lang.IllegalStateException");
        assertThat(SafeThrowable.of(null)).isNull();
    }

    private static Throwable hostile() {
        return new IllegalStateException("runner database: value 'x\n12:00:00 INFO  [forged] all good'",
                new RuntimeException("cause\r\n12:00:00 INFO  [forged] fine"));
    }

    private static String format(Throwable thrown) {
        ExtLogRecord record = new ExtLogRecord(Level.ERROR, "Batch run crashed", ExtLogRecord.FormatStyle.NO_FORMAT,
                SafeThrowableTest.class.getName());
        record.setThrown(thrown);
        return new PatternFormatter("%s%e").format(record);
    }
}
