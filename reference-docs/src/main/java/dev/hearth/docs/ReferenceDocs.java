package dev.hearth.docs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four references (CLI, HTTP API, MCP tools, config.yaml), each a Handlebars template under
 * {@code templates/} rendered with the {@link ProductFacts}, so every flag, default, route, tool and
 * key shown is the one the code has.
 */
final class ReferenceDocs {
    static final List<String> NAMES = List.of("cli", "http-api", "mcp-tools", "config");

    private ReferenceDocs() {}

    /** File name (cli.md, ...) to its text. */
    static Map<String, String> render(Templates templates) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : NAMES) {
            String template = ProductFacts.text(ReferenceDocs.class, "/templates/" + name + ".md.hbs");
            out.put(name + ".md", templates.render("templates/" + name + ".md.hbs", template));
        }
        return out;
    }
}
