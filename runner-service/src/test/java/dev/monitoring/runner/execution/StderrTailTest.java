package dev.monitoring.runner.execution;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The end of stderr kept as the traceback: bounded in lines and in characters. */
class StderrTailTest {

    @Test
    void keepsTheLastLinesUpToTheLineCount() {
        StderrTail tail = new StderrTail(2, 1000);
        assertThat(tail.text()).isNull();
        tail.add("one");
        tail.add("two");
        tail.add("three");
        assertThat(tail.text()).isEqualTo("two\nthree");
    }

    @Test
    void keepsTheLastLinesThatFitTheCharacterCap() {
        StderrTail tail = new StderrTail(30, 10);
        tail.add("aaaa");
        tail.add("bbbb");
        tail.add("cccc");
        assertThat(tail.text()).isEqualTo("bbbb\ncccc"); // 9 characters; with "aaaa\n" it would be 14
        for (int i = 0; i < 100_000; i++) {
            tail.add("line " + i);
        }
        assertThat(tail.text()).isEqualTo("line 99999");
    }

    @Test
    void aLineLongerThanTheWholeTailKeepsItsStart() {
        StderrTail tail = new StderrTail(30, 10);
        tail.add("before");
        tail.add("ValueError: " + "x".repeat(100));
        assertThat(tail.text()).isEqualTo("ValueError");
    }
}
