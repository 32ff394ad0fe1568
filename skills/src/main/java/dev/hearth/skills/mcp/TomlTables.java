package dev.hearth.skills.mcp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Codex's {@code config.toml} edited a whole table at a time: the text is read only far enough to
 * know where each table starts and ends and which keys every line assigns (strings, multi-line
 * strings, arrays and inline tables are followed, so a {@code [} inside a value is never taken for a
 * header); an entry is appended as {@code [mcp_servers.NAME]} (and {@code [mcp_servers.NAME.env]})
 * at the end, and removed as exactly those tables, leaving every other byte identical.
 */
final class TomlTables {
    static final String SEPARATOR = "separator";

    /** A table header and its body: from the header's line to the next header's line (or the end). */
    record Table(List<String> keys, boolean arrayOfTables, int start, int end) {}

    /** A key assigned by a {@code key = value} line, as a full path from the root, with its table and line. */
    record Assignment(List<String> keys, List<String> table, int line) {}

    /** Where one server's tables lie: [start, end) ends after its last line that is not blank or a comment. */
    record Region(int start, int end) {}

    private final String text;
    private final Path file;
    private final List<Table> tables = new ArrayList<>();
    private final List<Assignment> assignments = new ArrayList<>();
    private int pos;

    private TomlTables(String text, Path file) {
        this.text = text;
        this.file = file;
    }

    static TomlTables scan(String text, Path file) throws McpConfigException {
        TomlTables t = new TomlTables(text, file);
        t.scan();
        return t;
    }

    /**
     * The tables of server {@code name} ({@code [mcp_servers.NAME]} and its sub-tables), if any. A server
     * of that name written another way (an inline table, dotted keys, tables apart) is refused: Hearth
     * edits only the form it writes.
     */
    Optional<Region> server(String name) throws McpConfigException {
        List<String> prefix = List.of("mcp_servers", name);
        List<Integer> ours = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            Table t = tables.get(i);
            if (startsWith(t.keys(), prefix)) {
                if (t.arrayOfTables()) {
                    throw other(name, McpConfigException.line(text, t.start()), "it is an array of tables");
                }
                if (!ours.isEmpty() && ours.get(ours.size() - 1) != i - 1) {
                    throw other(name, McpConfigException.line(text, t.start()), "its tables are apart");
                }
                ours.add(i);
            }
        }
        for (Assignment a : assignments) {
            if (startsWith(a.keys(), prefix) && !startsWith(a.table(), prefix)) {
                throw other(name, a.line(), "it is assigned as a key");
            }
        }
        if (ours.isEmpty()) {
            return Optional.empty();
        }
        Table last = tables.get(ours.get(ours.size() - 1));
        return Optional.of(new Region(tables.get(ours.get(0)).start(), contentEnd(last.start(), last.end())));
    }

    private static boolean startsWith(List<String> keys, List<String> prefix) {
        return keys.size() >= prefix.size() && keys.subList(0, prefix.size()).equals(prefix);
    }

    private McpConfigException other(String name, int line, String why) {
        return new McpConfigException(file, line, "an MCP server named '" + name + "' is written in a form Hearth does not edit ("
                + why + "); change or remove it by hand");
    }

    /** Appends {@code block} after a blank line, or replaces {@code existing}; returns the text and what undoes an append. */
    static McpConfigFormat.Edit put(String text, Region existing, String block) {
        if (existing != null) {
            return new McpConfigFormat.Edit(text.substring(0, existing.start()) + block + text.substring(existing.end()), block, Map.of());
        }
        String separator = "";
        if (!text.isBlank()) {
            String nl = text.contains("\r\n") ? "\r\n" : "\n";
            String base = text.endsWith("\n") ? text : text + nl;
            separator = base.substring(text.length()) + (base.endsWith("\n\n") || base.endsWith("\n\r\n") ? "" : nl);
        }
        return new McpConfigFormat.Edit(text + separator + block, block, Map.of(SEPARATOR, separator));
    }

    /**
     * Removes a server's tables: at the end of the file with the separator its append added; elsewhere
     * with the blank lines that follow, up to what comes next.
     */
    static String remove(String text, Region region, Map<String, String> undo) {
        String separator = undo.getOrDefault(SEPARATOR, "");
        if (text.substring(region.end()).isBlank() && text.substring(0, region.start()).endsWith(separator)) {
            return text.substring(0, region.start() - separator.length()) + text.substring(region.end());
        }
        int end = region.end();
        while (true) {
            int eol = text.indexOf('\n', end);
            if (eol < 0 || !text.substring(end, eol).isBlank()) {
                break;
            }
            end = eol + 1;
        }
        return text.substring(0, region.start()) + text.substring(end);
    }

    /** The end of the last line in [start, end) that is neither blank nor only a comment. */
    private int contentEnd(int start, int end) {
        int contentEnd = start;
        int i = start;
        while (i < end) {
            int eol = text.indexOf('\n', i);
            int next = eol < 0 || eol >= end ? end : eol + 1;
            String line = text.substring(i, next).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                contentEnd = next;
            }
            i = next;
        }
        return contentEnd;
    }

    private void scan() throws McpConfigException {
        List<String> current = List.of();
        while (pos < text.length()) {
            skipBlanks();
            if (pos >= text.length()) {
                break;
            }
            char c = text.charAt(pos);
            if (c == '\n' || c == '\r') {
                pos++;
            } else if (c == '#') {
                skipComment();
            } else if (c == '[') {
                int lineStart = text.lastIndexOf('\n', pos - 1) + 1;
                boolean array = text.startsWith("[[", pos);
                pos += array ? 2 : 1;
                skipBlanks();
                List<String> keys = key();
                skipBlanks();
                if (!text.startsWith(array ? "]]" : "]", pos)) {
                    throw error("the table header is not closed with '" + (array ? "]]" : "]") + "'");
                }
                pos += array ? 2 : 1;
                endOfLine();
                if (!tables.isEmpty()) {
                    Table prev = tables.remove(tables.size() - 1);
                    tables.add(new Table(prev.keys(), prev.arrayOfTables(), prev.start(), lineStart));
                }
                tables.add(new Table(keys, array, lineStart, text.length()));
                current = keys;
            } else {
                int line = McpConfigException.line(text, pos);
                List<String> keys = new ArrayList<>(current);
                keys.addAll(key());
                assignments.add(new Assignment(List.copyOf(keys), current, line));
                skipBlanks();
                if (pos >= text.length() || text.charAt(pos) != '=') {
                    throw error("expected '=' after the key");
                }
                pos++;
                skipBlanks();
                value();
                endOfLine();
            }
        }
    }

    /** A dotted key: bare, "basic" or 'literal' parts separated by dots. */
    private List<String> key() throws McpConfigException {
        List<String> parts = new ArrayList<>();
        while (true) {
            skipBlanks();
            if (pos >= text.length()) {
                throw error("expected a key");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                int start = pos;
                basicString();
                parts.add(unescape(text.substring(start + 1, pos - 1)));
            } else if (c == '\'') {
                int end = text.indexOf('\'', pos + 1);
                if (end < 0 || text.substring(pos, end).contains("\n")) {
                    throw error("the key's quote is not closed");
                }
                parts.add(text.substring(pos + 1, end));
                pos = end + 1;
            } else {
                int start = pos;
                while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
                        || text.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos == start) {
                    throw error("expected a key, found '" + c + "'");
                }
                parts.add(text.substring(start, pos));
            }
            skipBlanks();
            if (pos < text.length() && text.charAt(pos) == '.') {
                pos++;
            } else {
                return parts;
            }
        }
    }

    /** Steps over one value, following strings, arrays and inline tables across lines. */
    private void value() throws McpConfigException {
        if (pos >= text.length()) {
            throw error("expected a value");
        }
        if (text.startsWith("\"\"\"", pos) || text.startsWith("'''", pos)) {
            String quotes = text.substring(pos, pos + 3);
            int i = pos + 3;
            while (true) {
                if (i >= text.length()) {
                    throw error("the multi-line string is not closed");
                }
                if (quotes.equals("\"\"\"") && text.charAt(i) == '\\') {
                    i += 2;
                } else if (text.startsWith(quotes, i)) {
                    i += 3;
                    while (i < text.length() && text.charAt(i) == quotes.charAt(0) && i - pos < 8) {
                        i++; // up to two quotes may close the content itself
                    }
                    pos = i;
                    return;
                } else {
                    i++;
                }
            }
        }
        char c = text.charAt(pos);
        if (c == '"') {
            basicString();
        } else if (c == '\'') {
            int end = text.indexOf('\'', pos + 1);
            if (end < 0 || text.substring(pos, end).contains("\n")) {
                throw error("the string is not closed on its line");
            }
            pos = end + 1;
        } else if (c == '[') {
            pos++;
            while (true) {
                skipTrivia();
                if (pos >= text.length()) {
                    throw error("the array is not closed");
                }
                if (text.charAt(pos) == ']') {
                    pos++;
                    return;
                }
                value();
                skipTrivia();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                } else if (pos >= text.length() || text.charAt(pos) != ']') {
                    throw error("expected ',' or ']' in the array");
                }
            }
        } else if (c == '{') {
            pos++;
            while (true) {
                skipTrivia();
                if (pos >= text.length()) {
                    throw error("the inline table is not closed");
                }
                if (text.charAt(pos) == '}') {
                    pos++;
                    return;
                }
                key();
                skipBlanks();
                if (pos >= text.length() || text.charAt(pos) != '=') {
                    throw error("expected '=' in the inline table");
                }
                pos++;
                skipBlanks();
                value();
                skipTrivia();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                }
            }
        } else {
            int start = pos;
            while (pos < text.length() && " \t\r\n,]}#".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            if (pos == start) {
                throw error("expected a value, found '" + c + "'");
            }
            // A date-time may hold one space ("1979-05-27 07:32:00Z").
            if (pos + 1 < text.length() && text.charAt(pos) == ' ' && Character.isDigit(text.charAt(pos + 1))
                    && text.substring(start, pos).matches("\\d{4}-\\d{2}-\\d{2}")) {
                pos++;
                while (pos < text.length() && " \t\r\n,]}#".indexOf(text.charAt(pos)) < 0) {
                    pos++;
                }
            }
        }
    }

    private void basicString() throws McpConfigException {
        int i = pos + 1;
        while (i < text.length() && text.charAt(i) != '"') {
            if (text.charAt(i) == '\n') {
                break;
            }
            i += text.charAt(i) == '\\' ? 2 : 1;
        }
        if (i >= text.length() || text.charAt(i) != '"') {
            throw error("the string is not closed on its line");
        }
        pos = i + 1;
    }

    private static String unescape(String s) {
        return s.replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private void skipBlanks() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private void skipComment() {
        int eol = text.indexOf('\n', pos);
        pos = eol < 0 ? text.length() : eol;
    }

    /** Blanks, newlines and comments, as allowed inside arrays. */
    private void skipTrivia() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pos++;
            } else if (c == '#') {
                skipComment();
            } else {
                return;
            }
        }
    }

    /** After a header or a value only blanks and a comment may follow on the line. */
    private void endOfLine() throws McpConfigException {
        skipBlanks();
        if (pos < text.length() && text.charAt(pos) == '#') {
            skipComment();
        }
        if (pos < text.length() && text.charAt(pos) == '\r') {
            pos++;
        }
        if (pos < text.length() && text.charAt(pos) != '\n') {
            throw error("unexpected '" + text.charAt(pos) + "' after the value");
        }
    }

    private McpConfigException error(String problem) {
        return new McpConfigException(file, McpConfigException.line(text, pos),
                "not valid TOML: " + problem + "; fix the file, Hearth has not changed it");
    }

    /** {@code s} as a TOML basic string: JSON's escapes are TOML's too. */
    static String quote(String s) {
        return JsoncEditor.quote(s);
    }

    /** A key as TOML writes it: bare when it can be, else quoted. */
    static String key(String k) {
        return k.matches("[A-Za-z0-9_-]+") ? k : quote(k);
    }
}
