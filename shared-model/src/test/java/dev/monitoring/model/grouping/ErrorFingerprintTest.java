package dev.monitoring.model.grouping;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorFingerprintTest {

    /** The regular expressions the scanner replaced: exact on short text, super-linear on long hex-like runs. */
    private static final Pattern UUID = Pattern.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    private static final Pattern HEX = Pattern.compile("\\b(0x)?[0-9a-fA-F]*[0-9][0-9a-fA-F]*[a-fA-F][0-9a-fA-F]*\\b|\\b0x[0-9a-fA-F]+\\b");
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+([.,:]\\d+)*");
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");

    private static String legacy(String message) {
        String m = UUID.matcher(message).replaceAll("<id>");
        m = QUOTED.matcher(m).replaceAll("<str>");
        m = HEX.matcher(m).replaceAll("<hex>");
        m = NUMBER.matcher(m).replaceAll("<n>");
        m = m.strip();
        return m.length() <= 500 ? m : m.substring(0, 500);
    }

    @Test
    void groupsTheVaryingPartsAsBefore() {
        assertThat(ErrorFingerprint.normalise("Timeout after 30.5 s for order 7f3a9c21-0b4e-4d5f-9a6b-1c2d3e4f5a6b at 0xdeadbeef"))
                .isEqualTo("Timeout after <n> s for order <id> at <hex>");
        assertThat(ErrorFingerprint.normalise("Pattern detection failed for 'Doji': got \"1,200\" rows, need -5 more (v1.2.3)"))
                .isEqualTo("Pattern detection failed for <str>: got <str> rows, need <n> more (v<n>)");
        assertThat(ErrorFingerprint.normalise("hash 3fa9c0 and ab12 and it's done")).isEqualTo("hash <hex> and ab<n> and it's done");
    }

    @Test
    void givesTheRegularExpressionsExactResultsOnGeneratedText() {
        String alphabet = "0123456789abcdefxABCDEFXgz_-+.,:'\" \t<>éλ٣";
        Random random = new Random(20261130);
        for (int n = 0; n < 50_000; n++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(60);
            for (int i = 0; i < length; i++) {
                if (random.nextInt(40) == 0) {
                    b.append(new java.util.UUID(random.nextLong(), random.nextLong()));
                } else if (random.nextInt(30) == 0) {
                    b.append("0x");
                } else {
                    b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String message = b.toString();
            assertThat(ErrorFingerprint.normalise(message)).as("normalise(%s)", message).isEqualTo(legacy(message));
        }
    }

    @Test
    void hexLikeRunsThatMadeTheRegexBacktrackForMinutesTakeMicroseconds() {
        // "1a" x 2,500 then "g": 5 KB that held the old writer thread for minutes; and the 64 KiB worst cases
        String[] worst = {
                "1a".repeat(2_500) + "g",
                "1a".repeat(32_000) + "g",
                "0x" + "9f".repeat(30_000) + "_",
                "'".repeat(30_000) + "\"".repeat(30_000),
                "-1.".repeat(20_000) + "x",
                "7f3a9c21-0b4e-4d5f-9a6b-".repeat(2_500) + "z",
        };
        for (String message : worst) {
            long millis = Long.MAX_VALUE;
            String normalised = null;
            for (int attempt = 0; attempt < 3 && millis >= 200; attempt++) { // the regexes took minutes every time; a GC pause does not repeat
                long start = System.nanoTime();
                normalised = ErrorFingerprint.normalise(message);
                millis = Math.min(millis, (System.nanoTime() - start) / 1_000_000);
            }
            assertThat(millis).as("normalising %d chars starting %s", message.length(), message.substring(0, 20)).isLessThan(200);
            assertThat(normalised.length()).isLessThanOrEqualTo(500);
        }
    }

    @Test
    void onlyTheFirstCharactersOfALongMessageTakePartInGrouping() {
        String head = "Backfill failed: " + "x".repeat(ErrorFingerprint.MAX_INPUT);
        assertThat(ErrorFingerprint.normalise(head + " tail one")).isEqualTo(ErrorFingerprint.normalise(head + " tail two"));
    }
}
