package dev.hearth.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.server.Flavor;
import dev.hearth.enginesim.server.SimServer;
import dev.hearth.enginesim.server.SimSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import org.junit.jupiter.api.Test;

class PrefixCacheDemoTest {
    @Test
    void theDemoShowsTheSharedPromptCached() throws Exception {
        try (SimServer sim = SimServer.start(new SimSettings("127.0.0.1", 0, Flavor.VLLM, "Qwen/Qwen3-0.6B",
                Profiles.H100_QWEN3_0_6B, new EngineLimits(16, 2_000, 8_192, 16, 8_192), 10, null, null))) {
            String url = "http://127.0.0.1:" + sim.port();
            PrefixCacheDemo demo = new PrefixCacheDemo(URI.create(url));
            String system = "the stone field ".repeat(200);
            PrefixCacheDemo.Turn first = demo.ask(system, "a");
            PrefixCacheDemo.Turn second = demo.ask(system, "b");
            assertEquals(0, first.cachedTokens());
            assertTrue(second.cachedTokens() >= 592, "the 600-token system prompt, whole blocks: " + second.cachedTokens());
            assertTrue(first.ttftMillis() > 0 && second.ttftMillis() > 0);

            PrintStream out = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true));
            try {
                PrefixCacheDemo.main(new String[] {url});
            } finally {
                System.setOut(out);
            }
            String printed = captured.toString();
            assertTrue(printed.matches("(?s)first: +\\d+ prompt tokens, 0 cached.*second: +\\d+ prompt tokens, [1-9]\\d* cached.*"),
                    printed);
        }
    }
}
