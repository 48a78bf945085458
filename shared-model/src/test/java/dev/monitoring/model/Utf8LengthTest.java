package dev.monitoring.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8LengthTest {

    @Test
    void countsWhatTheEncoderWouldWriteWithoutEncoding() {
        String[] pieces = {"a", "é", "€", "😀", "\ud800", "\udc00", "x\u0000"};
        Random random = new Random(7);
        for (int n = 0; n < 200; n++) {
            StringBuilder b = new StringBuilder();
            while (b.length() < 30_000) {
                b.append(pieces[random.nextInt(pieces.length)]);
            }
            String s = b.toString();
            assertThat(EventCodec.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }
}
