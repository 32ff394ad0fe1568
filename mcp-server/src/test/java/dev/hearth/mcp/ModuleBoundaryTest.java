package dev.hearth.mcp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The MCP server builds on platform-core and never on the CLI that wires it. */
class ModuleBoundaryTest {
    @Test
    void seesThePlatformButNotTheCli() {
        assertDoesNotThrow(() -> Class.forName("dev.hearth.platform.replicas.ProcessLauncher"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.hearth.cli.Hearth"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.hearth.skills.package-info"));
    }
}
