package dev.hearth.skills.mcp;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How one assistant's configuration file holds MCP servers: find one entry by name, write it, take it
 * out again. Every operation works on the file's text and changes nothing but that entry.
 */
public sealed interface McpConfigFormat permits JsonMcpConfig, TomlMcpConfig {

    /** A new text, what was written (to recognise it later), and what undoes an insertion exactly. */
    record Edit(String text, String written, Map<String, String> undo) {}

    /** The entry's text as it stands in the file, if there is one named {@code name}. */
    Optional<String> entry(String text, Path file, String name) throws McpConfigException;

    /** Whether {@code entryText} is, in substance, {@code written} (formatting aside). */
    boolean same(String entryText, String written);

    /** What this format writes for {@code entry}. */
    String render(McpServerEntry entry);

    /** Adds the entry, or replaces the one of the same name. */
    Edit put(String text, Path file, McpServerEntry entry) throws McpConfigException;

    /** Takes the entry out, with {@code undo} from its insertion. */
    String remove(String text, Path file, String name, Map<String, String> undo) throws McpConfigException;

    /** Puts {@code original}, an entry's former text, back in place of the entry. */
    String restore(String text, Path file, String name, String original) throws McpConfigException;
}
