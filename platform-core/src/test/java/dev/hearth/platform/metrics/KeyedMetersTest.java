package dev.hearth.platform.metrics;

import static org.junit.jupiter.api.Assertions.*;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyedMetersTest {
    @Test
    void metersFollowTheKeysThatExist() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger made = new AtomicInteger();
        KeyedMeters meters = new KeyedMeters(registry, key -> {
            made.incrementAndGet();
            return List.of(Counter.builder("hearth.test").tag("deployment", key).register(registry));
        });
        meters.retain(List.of("a", "b"));
        meters.retain(List.of("a", "b"));
        assertEquals(2, made.get(), "made once per key");
        assertEquals(2, registry.find("hearth.test").counters().size());
        meters.retain(List.of("b"));
        assertNull(registry.find("hearth.test").tag("deployment", "a").counter(), "a's meters left with a");
        assertNotNull(registry.find("hearth.test").tag("deployment", "b").counter());
        meters.retain(List.of("a", "b"));
        assertEquals(3, made.get(), "a returning gets meters anew");
    }
}
