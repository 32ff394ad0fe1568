package dev.hearth.docs;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.io.ClassPathTemplateLoader;
import dev.hearth.cli.Hearth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The CLI reference (docs/cli.md), rendered from picocli's command model with Handlebars, so every
 * flag, default and description shown is the one the code parses.
 */
public final class CliReference {
    /** One option as the template shows it. */
    public record Option(String names, String param, String description) {}

    /** One command as the template shows it. */
    public record Command(String name, String description, List<Option> options) {}

    // Pretty print drops the lines that hold only block tags, so Markdown tables stay whole.
    private final Handlebars handlebars = new Handlebars(new ClassPathTemplateLoader("/templates", ".md.hbs"))
            .prettyPrint(true);

    public String render(CommandLine root) throws IOException {
        List<Command> commands = new ArrayList<>();
        for (CommandLine sub : root.getSubcommands().values()) {
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
                options.add(new Option(String.join(", ", o.names()), param, String.join(" ", o.description())
                        .replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue()))));
            }
            commands.add(new Command(spec.qualifiedName(), String.join(" ", spec.usageMessage().description()), options));
        }
        return handlebars.compile("cli").apply(Map.of("commands", commands));
    }

    /** Writes the reference to the path given (the build writes target/docs/cli.md). */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/docs/cli.md");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, new CliReference().render(Hearth.commandLine()));
    }
}
