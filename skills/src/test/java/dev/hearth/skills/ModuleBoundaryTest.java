package dev.hearth.skills;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Skills render facts from the platform; they must not reach into the CLI or the MCP server. */
class ModuleBoundaryTest {
    @Test
    void seesThePlatformOnly() {
        assertDoesNotThrow(() -> Class.forName("dev.hearth.platform.replicas.ReplicaProcess"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.hearth.cli.SimCommand"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.hearth.mcp.package-info"));
    }
}
