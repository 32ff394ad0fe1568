package dev.hearth.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.cli.Hearth;
import dev.hearth.mcp.HearthMcp;
import dev.hearth.platform.api.ControlApi;
import dev.hearth.platform.config.ModelConfig;
import dev.hearth.platform.dashboard.Dashboard;
import dev.hearth.platform.gateway.Gateway;
import dev.hearth.skills.WellKnownSkills;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Everything the docs and skills state about the product, read from the code itself: the CLI from
 * picocli's model, the MCP tools from the server's definitions, the HTTP routes from the gateway's
 * list and the control API's OpenAPI description, the config keys from the schema the loader
 * checks. Templates may only name facts found here, so a renamed flag or tool breaks the build.
 */
public record ProductFacts(List<Command> commands, List<Tool> tools, List<Route> routes, List<ConfigKey> configKeys) {

    /** One option of a command. {@code defaultValue} is as picocli holds it (may be null). */
    public record Option(String names, String longName, String param, String defaultValue, String description) {}

    /** One positional argument of a command. */
    public record Argument(String label, String description) {}

    /** One command: {@code name} is the qualified name ({@code hearth nodepools create}). */
    public record Command(String name, String path, String description, List<Argument> arguments, List<Option> options,
                          String usage) {
        public Optional<Option> option(String name) {
            return options.stream().filter(o -> List.of(o.names().split(", ")).contains(name)).findFirst();
        }
    }

    /** One MCP tool parameter. */
    public record Param(String name, String type, boolean required, String description) {}

    /** One MCP tool with every annotation. */
    public record Tool(String name, String title, String description, boolean readOnly, boolean destructive,
                       boolean idempotent, List<Param> params) {}

    /** One HTTP route: method, path, what it does, and which part of Hearth serves it. */
    public record Route(String method, String path, String summary, String part) {
        public String key() {
            return method + " " + path;
        }
    }

    /** One config.yaml key. */
    public record ConfigKey(String key, String type, String defaultValue, String meaning) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ProductFacts fromCode() {
        return new ProductFacts(readCommands(Hearth.commandLine()), readTools(), readRoutes(), readConfigKeys());
    }

    public Command command(String path) {
        return commands.stream().filter(c -> c.path().equals(path)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no command 'hearth " + path + "'; known: "
                        + commands.stream().map(Command::path).toList()));
    }

    public Option option(String command, String option) {
        Command c = command(command);
        return c.option(option).orElseThrow(() -> new IllegalArgumentException("'hearth " + command + "' has no option "
                + option + "; it has " + c.options().stream().map(Option::longName).toList()));
    }

    public Tool tool(String name) {
        return tools.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no MCP tool '" + name + "'; known: " + tools.stream().map(Tool::name).toList()));
    }

    public Route route(String key) {
        return routes.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no route '" + key + "'; known: " + routes.stream().map(Route::key).toList()));
    }

    public ConfigKey configKey(String key) {
        return configKeys.stream().filter(k -> k.key().equals(key)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no config.yaml key '" + key + "'; known: "
                        + configKeys.stream().map(ConfigKey::key).toList()));
    }

    static List<Command> readCommands(CommandLine root) {
        List<Command> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(CommandLine cmd, List<Command> out) {
        for (CommandLine sub : cmd.getSubcommands().values().stream().distinct().toList()) {
            CommandSpec spec = sub.getCommandSpec();
            if (spec.name().equals("help")) {
                continue;
            }
            List<Option> options = new ArrayList<>();
            for (OptionSpec o : spec.options()) {
                if (o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                String param = o.typeInfo().isBoolean() ? "" : o.paramLabel();
                String description = String.join(" ", o.description())
                        .replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue()));
                options.add(new Option(String.join(", ", o.names()), o.longestName(), param, o.defaultValue(), description));
            }
            List<Argument> arguments = spec.positionalParameters().stream()
                    .map(p -> new Argument(p.paramLabel(), String.join(" ", p.description()))).toList();
            String path = spec.qualifiedName(" ").substring(spec.root().name().length()).trim();
            out.add(new Command(spec.qualifiedName(" "), path, String.join(" ", spec.usageMessage().description()),
                    arguments, options, sub.getUsageMessage(CommandLine.Help.Ansi.OFF)));
            collect(sub, out);
        }
    }

    static List<Tool> readTools() {
        Set<String> readOnlyNames = new TreeSet<>();
        HearthMcp.tools(true).forEach(t -> readOnlyNames.add(t.name()));
        List<Tool> out = new ArrayList<>();
        for (McpSchema.Tool t : HearthMcp.tools(false)) {
            List<Param> params = new ArrayList<>();
            Map<?, ?> props = t.inputSchema().get("properties") instanceof Map<?, ?> p ? p : Map.of();
            List<?> required = t.inputSchema().get("required") instanceof List<?> r ? r : List.of();
            props.forEach((name, schema) -> {
                Map<?, ?> s = (Map<?, ?>) schema;
                params.add(new Param(String.valueOf(name), String.valueOf(s.get("type") == null ? "any" : s.get("type")), required.contains(name),
                        s.get("description") == null ? "" : String.valueOf(s.get("description"))));
            });
            // Schemas are built from Map.of, whose order changes from run to run: required first, then by name.
            params.sort(java.util.Comparator.comparing((Param x) -> !x.required()).thenComparing(Param::name));
            var a = t.annotations();
            if (a.readOnlyHint() != readOnlyNames.contains(t.name())) {
                throw new IllegalStateException(t.name() + ": readOnlyHint disagrees with --read-only");
            }
            out.add(new Tool(t.name(), t.title(), t.description(), a.readOnlyHint(), a.destructiveHint(),
                    a.idempotentHint(), params));
        }
        return out;
    }

    static List<Route> readRoutes() {
        List<Route> out = new ArrayList<>();
        for (Gateway.Route r : Gateway.ROUTES) {
            out.add(new Route(r.method(), r.path(), r.summary(), "gateway"));
        }
        JsonNode paths = read(ControlApi.class, "openapi.json").path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!op.getKey().equals("parameters")) {
                    out.add(new Route(op.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(),
                            op.getValue().path("summary").asText(), "control API"));
                }
            }
        }
        if (out.stream().filter(r -> r.part().equals("control API")).count() != ControlApi.ROUTES.size()) {
            throw new IllegalStateException("openapi.json and ControlApi.ROUTES disagree");
        }
        for (Gateway.Route r : Dashboard.ROUTES) {
            out.add(new Route(r.method(), r.path(), r.summary(), "dashboard"));
        }
        out.add(new Route("POST", "/mcp", "MCP over Streamable HTTP (GET for the event stream, DELETE ends a session)", "MCP"));
        out.add(new Route("GET", WellKnownSkills.BASE + "index.json", "Agent Skills Discovery v0.2.0 index of Hearth's skills", "skills"));
        out.add(new Route("GET", WellKnownSkills.BASE + "{skill}/{path}", "One file of a skill", "skills"));
        out.add(new Route("GET", WellKnownSkills.BASE + "{skill}.tar.gz", "A skill as a reproducible archive", "skills"));
        return out;
    }

    /** The schema's table rows (config-schema.md beside ModelConfig; ConfigSchemaDocTest holds it to the loader's keys). */
    static List<ConfigKey> readConfigKeys() {
        String doc = text(ModelConfig.class, "config-schema.md");
        List<ConfigKey> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z_.]+)` \\| (.+?) \\| (.+?) \\| (.+?) \\|$").matcher(doc);
        while (m.find()) {
            out.add(new ConfigKey(m.group(1), m.group(2), m.group(3), m.group(4)));
        }
        return out;
    }

    private static JsonNode read(Class<?> near, String resource) {
        try {
            return JSON.readTree(text(near, resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Class<?> near, String resource) {
        try (InputStream in = near.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing beside " + near.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
