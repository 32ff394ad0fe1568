package dev.hearth.router;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The router is a plain library the simulator drives unchanged: no HTTP, no platform, no simulator. */
class ModuleBoundaryTest {
    @Test
    void routerSeesNothingButItself() {
        for (String forbidden : new String[] {"io.javalin.Javalin", "jakarta.servlet.http.HttpServlet",
                "dev.hearth.platform.replicas.ReplicaProcess", "dev.hearth.warmpools.package-info",
                "dev.hearth.enginesim.kv.BlockPool"}) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(forbidden), forbidden);
        }
    }
}
