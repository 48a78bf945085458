package dev.monitoring.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTextTest {

    @Test
    void lineBreaksAndControlCharactersCannotForgeALogLine() {
        String forged = "boom\r\n2026-11-30 12:00:00,000 INFO  [dev.monitoring] all good\u0000\u001b[31m\u2028\u202e";
        String safe = LogText.safe(forged);
        assertThat(safe).doesNotContain("\r", "\n", "\u0000", "\u001b", "\u2028", "\u202e")
                .isEqualTo("boom\\r\\n2026-11-30 12:00:00,000 INFO  [dev.monitoring] all good\\u0000\\u001b[31m\\u2028\\u202e");
    }

    @Test
    void plainTextIsUnchangedAndLongTextIsCutWithTheCountOfWhatWasLeftOut() {
        assertThat(LogText.safe("Pattern detection failed for Doji: ünïcode ✓")).isEqualTo("Pattern detection failed for Doji: ünïcode ✓");
        assertThat(LogText.safe("x".repeat(70_000), 10)).isEqualTo("xxxxxxxxxx...(69990 more chars)");
        assertThat(LogText.safe(null)).isEqualTo("null");
    }
}
