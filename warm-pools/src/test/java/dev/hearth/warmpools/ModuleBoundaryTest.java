package dev.hearth.warmpools;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** warm-pools is a plain library: nothing of HTTP, servlets or Hearth's platform may reach its class path. */
class ModuleBoundaryTest {
    @Test
    void noHttpServerNoPlatformNoOtherHearthModule() {
        for (String forbidden : new String[] {"io.javalin.Javalin", "jakarta.servlet.Servlet",
                "dev.hearth.platform.replicas.ProcessLauncher", "dev.hearth.router.prefix.BlockHasher",
                "dev.hearth.enginesim.engine.EngineCore"}) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(forbidden), forbidden + " must not be visible");
        }
    }
}
