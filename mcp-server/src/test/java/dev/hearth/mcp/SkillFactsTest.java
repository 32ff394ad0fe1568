package dev.hearth.mcp;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.skills.SkillSet;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The hearth-mcp skill names exactly the tools the server offers, so it cannot drift from them. */
class SkillFactsTest {

    @Test
    void theMcpSkillNamesEveryToolAndNoOther() {
        String md = new String(SkillSet.bundled().get("hearth-mcp").file("SKILL.md").bytes(), StandardCharsets.UTF_8);
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("`([a-z]+(?:_[a-z]+)+)`").matcher(md);
        while (m.find()) {
            named.add(m.group(1));
        }
        Set<String> tools = HearthMcp.tools(false).stream().map(McpSchema.Tool::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(tools, named);
    }
}
