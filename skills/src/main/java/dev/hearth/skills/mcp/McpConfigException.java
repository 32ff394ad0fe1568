package dev.hearth.skills.mcp;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A configuration file Hearth will not edit (not valid JSON with comments, an unexpected shape, an
 * entry it did not write), named with its file and, where there is one, its line, so that nothing is
 * ever overwritten on a guess.
 */
public final class McpConfigException extends IOException {
    public McpConfigException(Path file, int line, String problem) {
        super(file + (line > 0 ? ": line " + line : "") + ": " + problem);
    }

    /** The 1-based line of {@code offset} in {@code text}. */
    static int line(String text, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
