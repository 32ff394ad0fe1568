package dev.hearth.skills.mcp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON with comments (what VS Code's {@code mcp.json}, Gemini's {@code settings.json} and hand-edited
 * files hold) read into the positions of its values: where every object, member, key and value starts
 * and ends in the text, so that one member can be edited and every other byte left as it was. Accepts
 * {@code //} and {@code /* *}{@code /} comments, trailing commas and a byte-order mark; anything else
 * that is not JSON is refused with its line.
 */
final class JsoncTree {
    /** A value's span: {@code start} at its first character, {@code end} just after its last. */
    sealed interface Node permits Obj, Arr, Scalar {
        int start();

        int end();
    }

    /** {@code "key": value}, with the key's span (quotes included). */
    record Member(String key, int keyStart, int keyEnd, Node value) {}

    record Obj(int start, int end, List<Member> members) implements Node {
        /** The last member named {@code key} (the one a JSON reader keeps), or null. */
        Member member(String key) {
            Member found = null;
            for (Member m : members) {
                if (m.key().equals(key)) {
                    found = m;
                }
            }
            return found;
        }
    }

    record Arr(int start, int end, List<Node> items) implements Node {}

    record Scalar(int start, int end) implements Node {}

    private final String text;
    private final Path file;
    private int pos;

    private JsoncTree(String text, Path file) {
        this.text = text;
        this.file = file;
    }

    /** The document's root value, or null when the text holds nothing but blanks and comments. */
    static Node parse(String text, Path file) throws McpConfigException {
        JsoncTree p = new JsoncTree(text, file);
        if (text.startsWith("\uFEFF")) {
            p.pos = 1;
        }
        p.skipTrivia();
        if (p.pos == text.length()) {
            return null;
        }
        Node root = p.value();
        p.skipTrivia();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "' after the end of the document");
        }
        return root;
    }

    /** The spans of the comments between {@code from} and {@code to} (which hold only blanks and comments). */
    static List<int[]> comments(String text, int from, int to) {
        List<int[]> out = new ArrayList<>();
        int i = from;
        while (i < to) {
            if (text.startsWith("//", i)) {
                int end = text.indexOf('\n', i);
                end = end < 0 || end > to ? to : end;
                out.add(new int[] {i, end});
                i = end;
            } else if (text.startsWith("/*", i)) {
                int end = Math.min(text.indexOf("*/", i + 2) + 2, to);
                out.add(new int[] {i, end});
                i = end;
            } else {
                i++;
            }
        }
        return out;
    }

    private Node value() throws McpConfigException {
        if (pos >= text.length()) {
            throw error("the document ends where a value should be");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> {
                int start = pos;
                string();
                yield new Scalar(start, pos);
            }
            default -> literal();
        };
    }

    private Obj object() throws McpConfigException {
        int start = pos++;
        List<Member> members = new ArrayList<>();
        skipTrivia();
        while (true) {
            if (pos >= text.length()) {
                throw error("the object opened at line " + McpConfigException.line(text, start) + " is not closed");
            }
            if (text.charAt(pos) == '}') {
                pos++;
                return new Obj(start, pos, List.copyOf(members));
            }
            if (text.charAt(pos) != '"') {
                throw error("expected a member name in double quotes, found '" + text.charAt(pos) + "'");
            }
            int keyStart = pos;
            String key = string();
            int keyEnd = pos;
            skipTrivia();
            if (pos >= text.length() || text.charAt(pos) != ':') {
                throw error("expected ':' after the member name \"" + key + "\"");
            }
            pos++;
            skipTrivia();
            Node v = value();
            members.add(new Member(key, keyStart, keyEnd, v));
            skipTrivia();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
                skipTrivia();
            } else if (pos < text.length() && text.charAt(pos) != '}') {
                throw error("expected ',' or '}' after the value of \"" + key + "\"");
            }
        }
    }

    private Arr array() throws McpConfigException {
        int start = pos++;
        List<Node> items = new ArrayList<>();
        skipTrivia();
        while (true) {
            if (pos >= text.length()) {
                throw error("the array opened at line " + McpConfigException.line(text, start) + " is not closed");
            }
            if (text.charAt(pos) == ']') {
                pos++;
                return new Arr(start, pos, List.copyOf(items));
            }
            items.add(value());
            skipTrivia();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
                skipTrivia();
            } else if (pos < text.length() && text.charAt(pos) != ']') {
                throw error("expected ',' or ']' in the array");
            }
        }
    }

    /** Reads a string literal at {@code pos} and returns its value. */
    private String string() throws McpConfigException {
        int start = pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\n') {
                break;
            }
            if (c < 0x20) {
                pos--;
                throw error("a control character inside a string (write it as an escape)");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length() || !text.substring(pos, pos + 4).matches("[0-9A-Fa-f]{4}")) {
                        throw error("'\\u' must be followed by four hexadecimal digits");
                    }
                    sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> {
                    pos--;
                    throw error("'\\" + e + "' is not a JSON escape");
                }
            }
        }
        pos = start;
        throw error("the string is not closed on its line");
    }

    private Scalar literal() throws McpConfigException {
        int start = pos;
        while (pos < text.length() && "{}[],:\"/ \t\r\n".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        String word = text.substring(start, pos);
        if (!word.matches("true|false|null|-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            pos = start;
            throw error(word.isEmpty() ? "unexpected '" + text.charAt(start) + "'"
                    : "'" + word + "' is not a JSON value (strings need double quotes)");
        }
        return new Scalar(start, pos);
    }

    private void skipTrivia() throws McpConfigException {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pos++;
            } else if (text.startsWith("//", pos)) {
                int end = text.indexOf('\n', pos);
                pos = end < 0 ? text.length() : end;
            } else if (text.startsWith("/*", pos)) {
                int end = text.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw error("the comment is not closed");
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private McpConfigException error(String problem) {
        return new McpConfigException(file, McpConfigException.line(text, pos),
                "not valid JSON: " + problem + "; fix the file, Hearth has not changed it");
    }
}
