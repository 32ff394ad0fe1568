package dev.hearth.mcp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The MCP server builds on platform-core and the skills it serves, never on the CLI that wires it. */
class ModuleBoundaryTest {
    @Test
    void seesThePlatformAndSkillsButNotTheCli() {
        assertDoesNotThrow(() -> Class.forName("dev.hearth.platform.replicas.ProcessLauncher"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.hearth.cli.Hearth"));
        assertDoesNotThrow(() -> Class.forName("dev.hearth.skills.SkillSet"));
    }
}
