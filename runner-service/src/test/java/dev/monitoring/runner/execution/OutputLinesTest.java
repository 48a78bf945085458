package dev.monitoring.runner.execution;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The line splitter of job output: readLine's line ends, a cap on every line, nothing kept of the rest. */
class OutputLinesTest {

    record Line(String text, boolean cut) {
    }

    @Test
    void splitsOnLfCrAndCrLfLikeReadLine() throws IOException {
        assertThat(lines("a\nb\r\nc\rd", 100)).containsExactly(
                new Line("a", false), new Line("b", false), new Line("c", false), new Line("d", false));
        assertThat(lines("a\n\nb\n", 100)).containsExactly(
                new Line("a", false), new Line("", false), new Line("b", false));
        assertThat(lines("", 100)).isEmpty();
    }

    @Test
    void aLongLineIsCutAndFlaggedAndTheNextLineIsWhole() throws IOException {
        assertThat(lines("x".repeat(10_000) + "\nrecords_processed=7\n", 32)).containsExactly(
                new Line("x".repeat(32), true), new Line("records_processed=7", false));
    }

    @Test
    void nulBecomesTheReplacementCharacterAndNoLineEndsOnHalfACharacter() throws IOException {
        assertThat(lines("a\0b\n", 100)).containsExactly(new Line("a\uFFFDb", false));
        assertThat(lines("ab\uD83D\uDE00cd", 3)).containsExactly(new Line("ab", true));
    }

    /** 50 MB on one line without a newline, served without ever holding it: the line handed over is the cap. */
    @Test
    void fiftyMegabytesWithoutANewlineStayWithinTheCap() {
        long size = 50L * 1024 * 1024;
        List<Line> lines = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> lines(new Reader() {
            long left = size;

            @Override
            public int read(char[] buffer, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(buffer, off, off + n, 'a');
                left -= n;
                return n;
            }

            @Override
            public void close() {
            }
        }, 4096));
        assertThat(lines).containsExactly(new Line("a".repeat(4096), true));
    }

    private static List<Line> lines(String text, int max) throws IOException {
        return lines(new StringReader(text), max);
    }

    private static List<Line> lines(Reader reader, int max) throws IOException {
        List<Line> lines = new ArrayList<>();
        OutputLines.read(reader, max, (line, cut) -> lines.add(new Line(line, cut)));
        return lines;
    }
}
