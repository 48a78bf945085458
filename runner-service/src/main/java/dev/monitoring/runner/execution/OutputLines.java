package dev.monitoring.runner.execution;

import java.io.IOException;
import java.io.Reader;

/**
 * Splits a process stream into lines the way {@link java.io.BufferedReader#readLine()} does ({@code \n}, {@code \r}
 * or {@code \r\n}), but keeps at most {@code maxChars} of each line: job output is untrusted, and one line of 50 MB
 * without a newline must cost neither memory nor regex time. The rest of a long line is read and dropped. One linear
 * pass, a fixed buffer.
 */
final class OutputLines {
    /** PostgreSQL text cannot hold NUL: a NUL in output would make the execution's record fail to save. */
    private static final char NUL_REPLACEMENT = '\uFFFD';

    private OutputLines() {
    }

    /** Receives each line; {@code cut} when the line was longer than the cap and only its start is given. */
    @FunctionalInterface
    interface LineConsumer {
        void accept(String line, boolean cut);
    }

    static void read(Reader in, int maxChars, LineConsumer onLine) throws IOException {
        int max = Math.max(1, maxChars);
        char[] buffer = new char[8192];
        StringBuilder line = new StringBuilder(Math.min(max, 256));
        boolean cut = false;
        boolean afterCr = false;
        int n;
        while ((n = in.read(buffer)) != -1) {
            for (int i = 0; i < n; i++) {
                char c = buffer[i];
                if (c == '\n' && afterCr) {
                    afterCr = false; // the \n of a \r\n: the line already ended at the \r
                    continue;
                }
                afterCr = c == '\r';
                if (c == '\n' || c == '\r') {
                    emit(line, cut, onLine);
                    cut = false;
                } else if (line.length() < max) {
                    line.append(c == '\0' ? NUL_REPLACEMENT : c);
                } else {
                    cut = true;
                }
            }
        }
        if (line.length() > 0 || cut) {
            emit(line, cut, onLine);
        }
    }

    private static void emit(StringBuilder line, boolean cut, LineConsumer onLine) {
        if (cut && Character.isHighSurrogate(line.charAt(line.length() - 1))) {
            line.setLength(line.length() - 1); // never end on half a character
        }
        String text = line.toString();
        line.setLength(0);
        onLine.accept(text, cut);
    }
}
