package dev.hearth.cli.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Bars on a terminal, one line per run elsewhere. */
class ProgressLineTest {

    @Test
    void barShowsTheShareDone() {
        assertEquals("[----------]", ProgressLine.bar(0, 100, 10));
        assertEquals("[#####-----]", ProgressLine.bar(50, 100, 10));
        assertEquals("[##########]", ProgressLine.bar(100, 100, 10));
        assertEquals("[##########]", ProgressLine.bar(150, 100, 10), "never past the end");
    }

    @Test
    void offATerminalEachRunIsOneLineWithoutControlCodes() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine progress = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        AtomicLong done = new AtomicLong();
        int result = progress.show("hearth", 10, done, () -> {
            done.set(10);
            return 42;
        }, r -> "answered " + r);
        assertEquals(42, result);
        assertEquals(String.format("%-16s answered 42%n", "hearth"), bytes.toString(StandardCharsets.UTF_8));
    }
}
