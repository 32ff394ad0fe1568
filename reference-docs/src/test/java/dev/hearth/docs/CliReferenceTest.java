package dev.hearth.docs;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.cli.Hearth;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliReferenceTest {
    @Test
    void everyOptionOfEveryCommandIsDocumentedWithItsDefault() throws Exception {
        CommandLine cli = Hearth.commandLine();
        String doc = new CliReference().render(cli);
        for (String command : new String[] {"sim", "serve"}) {
            assertTrue(doc.contains("## hearth " + command + "\n"), command);
            for (var option : cli.getSubcommands().get(command).getCommandSpec().options()) {
                if (!option.usageHelp() && !option.versionHelp()) {
                    assertTrue(doc.contains("`" + option.longestName()), option.longestName() + " of " + command);
                }
            }
        }
        assertTrue(doc.contains("Served model name (default: Qwen/Qwen3-0.6B)."), "defaults are resolved");
        assertFalse(doc.contains("${DEFAULT-VALUE}"));
        assertFalse(doc.contains("&#x60;"), "Markdown is not HTML-escaped");
        assertFalse(doc.contains("|\n\n|"), "no blank line breaks a table");
        assertTrue(java.util.regex.Pattern.compile("\\| --- \\| --- \\| --- \\|\n\\| `--[a-z-]+` \\|").matcher(doc).find(),
                "each table's first row follows its header directly: " + doc);
    }
}
