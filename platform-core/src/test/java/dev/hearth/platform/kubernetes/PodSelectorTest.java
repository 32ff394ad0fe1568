package dev.hearth.platform.kubernetes;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Label selectors in kubectl's syntax: every operator, and one-line errors for what the API server would refuse. */
class PodSelectorTest {
    private static final Map<String, String> ENGINE = Map.of("app.kubernetes.io/name", "hearth-engine",
            "hearth.dev/deployment", "qwen", "tier", "gpu");

    @Test
    void everyOperatorMatchesAsKubernetesDoes() {
        assertTrue(PodSelector.parse("app.kubernetes.io/name=hearth-engine").matches(ENGINE));
        assertTrue(PodSelector.parse("app.kubernetes.io/name==hearth-engine, tier").matches(ENGINE));
        assertFalse(PodSelector.parse("app.kubernetes.io/name=hearth-engine,tier!=gpu").matches(ENGINE));
        assertTrue(PodSelector.parse("hearth.dev/deployment in (qwen, llama),!canary").matches(ENGINE));
        assertFalse(PodSelector.parse("hearth.dev/deployment notin (qwen)").matches(ENGINE));
        assertTrue(PodSelector.parse("missing notin (x)").matches(ENGINE), "notin holds for a label that is absent");
        assertFalse(PodSelector.parse("tier").matches(Map.of()));
        assertTrue(PodSelector.parse("tier=").matches(Map.of("tier", "")), "an empty value is a value");
    }

    @Test
    void theCanonicalFormIsWhatTheApiServerIsSent() {
        assertEquals("a=b,c!=d,e in (f,g),!h,i", PodSelector.parse(" a == b , c!=d, e in (f, g), !h, i").toString());
    }

    @Test
    void badSelectorsAreOneLineErrors() {
        for (String bad : new String[] {"", "  ", "a b=c", "app=has space", "x in (a", "a=b,,c=d", "x)", "-a=b",
                "a=" + "v".repeat(64)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PodSelector.parse(bad), bad);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().startsWith("label selector") || e.getMessage().startsWith("a label selector is empty"),
                    e.getMessage());
        }
    }
}
