package dev.hearth.docs;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed docs, skills, AGENTS.md and plugin manifest are exactly what the code renders now. */
class RenderedFilesTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void theTreeHoldsWhatTheCodeRenders() throws Exception {
        List<String> differences = new RenderedFiles(ROOT).differences();
        assertEquals(List.of(), differences, "run scripts/render, then commit");
    }

    @Test
    void theCliReferenceShowsEveryOptionOfEveryCommandWithItsDefault() throws Exception {
        ProductFacts facts = ProductFacts.fromCode();
        String doc = new String(new RenderedFiles(ROOT).render().get("reference-docs/cli.md"), StandardCharsets.UTF_8);
        for (ProductFacts.Command c : facts.commands()) {
            assertTrue(doc.contains("\n## " + c.name() + "\n"), c.name());
            for (ProductFacts.Option o : c.options()) {
                assertTrue(doc.contains("| `" + o.names() + "` |"), o.names() + " of " + c.name());
            }
        }
        assertTrue(facts.commands().stream().anyMatch(c -> c.path().equals("nodepools create")), "subcommands too");
        assertTrue(doc.contains("Served model name (default: Qwen/Qwen3-0.6B)."), "defaults are resolved");
        assertFalse(doc.contains("${DEFAULT-VALUE}"));
        assertFalse(doc.contains("&#x60;"), "Markdown is not HTML-escaped");
        assertFalse(doc.contains("|\n\n|"), "no blank line breaks a table");
    }

    @Test
    void theOtherReferencesNameEveryRouteToolAndKey() throws Exception {
        ProductFacts facts = ProductFacts.fromCode();
        Map<String, byte[]> files = new RenderedFiles(ROOT).render();
        String http = new String(files.get("reference-docs/http-api.md"), StandardCharsets.UTF_8);
        String mcp = new String(files.get("reference-docs/mcp-tools.md"), StandardCharsets.UTF_8);
        String config = new String(files.get("reference-docs/config.md"), StandardCharsets.UTF_8);
        facts.routes().forEach(r -> assertTrue(http.contains("| " + r.method() + " | `" + r.path() + "` |"), r.key()));
        assertTrue(http.contains("`POST /api/v1/deployments/{name}/scale`") || http.contains("/api/v1/deployments/{name}/scale"));
        facts.tools().forEach(t -> assertTrue(mcp.contains("\n## " + t.name() + "\n"), t.name()));
        assertTrue(mcp.contains("| `deployment_delete` | Delete a deployment | no | yes |"), mcp);
        facts.configKeys().forEach(k -> assertTrue(config.contains("| `" + k.key() + "` |"), k.key()));
        assertTrue(facts.configKeys().size() >= 20);
    }

    @Test
    void aTemplateThatNamesWhatTheCodeLacksFailsTheRender() {
        Templates t = new Templates(ProductFacts.fromCode());
        assertEquals("`--port` defaults to 8080", t.render("ok", "{{flag \"serve\" \"--port\"}} defaults to {{default \"serve\" \"--port\"}}"));
        assertEquals("`deployment_scale`", t.render("ok", "{{tool \"deployment_scale\"}}"));
        assertEquals("`hearth nodepools create`", t.render("ok", "{{cmd \"nodepools create\"}}"));
        for (String[] bad : new String[][] {
                {"{{flag \"serve\" \"--prot\"}}", "'hearth serve' has no option --prot"},
                {"{{tool \"deployment_resize\"}}", "no MCP tool 'deployment_resize'"},
                {"{{cmd \"serv\"}}", "no command 'hearth serv'"},
                {"{{route \"GET /api/v1/nothing\"}}", "no route 'GET /api/v1/nothing'"},
                {"{{configKey \"replicas.minimum\"}}", "no config.yaml key 'replicas.minimum'"}}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.render("skill/SKILL.md.hbs", bad[0]));
            assertTrue(e.getMessage().startsWith("skill/SKILL.md.hbs: "), e.getMessage());
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }
}
