package dev.hearth.skills.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.skills.mcp.JsoncTree.Member;
import dev.hearth.skills.mcp.JsoncTree.Node;
import dev.hearth.skills.mcp.JsoncTree.Obj;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Inserts, replaces or removes one member of a nested object in a JSON-with-comments text and leaves
 * every other byte as it was. Inserted text follows the file: its line ending, its indentation unit,
 * the indentation of the neighbouring members, one line or many. An insertion returns what it must
 * remember ({@code undo}) so that removing the member gives back the very bytes there were before,
 * including objects and files it had to create.
 */
final class JsoncEditor {
    /** Undo keys: the index in the path of the first object created, the empty object's former inside, the whole former text. */
    static final String CREATED = "created";
    static final String INNER = "inner";
    static final String DOCUMENT = "document";

    /** A new text and what undoes it. */
    record Edit(String text, Map<String, String> undo) {}

    private JsoncEditor() {}

    /** The source text of {@code path.key}'s value, if the member is there. */
    static Optional<String> valueText(String text, Path file, List<String> path, String key) throws McpConfigException {
        Node root = JsoncTree.parse(text, file);
        if (root == null) {
            return Optional.empty();
        }
        Obj[] chain = chain(text, file, root, path);
        Member m = chain[path.size()] == null ? null : chain[path.size()].member(key);
        return m == null ? Optional.empty() : Optional.of(text.substring(m.value().start(), m.value().end()));
    }

    /**
     * Sets {@code path.key} to {@code value}: its value replaced in place when the member is there, else
     * the member added after the object's last one, the objects on {@code path} created when missing.
     */
    static Edit put(String text, Path file, List<String> path, String key, JsonNode value) throws McpConfigException {
        Node root = JsoncTree.parse(text, file);
        if (root == null) {
            // Nothing but blanks or comments: a new top-level object after them, the former text kept for undo.
            String nl = text.contains("\r\n") ? "\r\n" : "\n";
            String prefix = text.isEmpty() || text.endsWith("\n") ? text : text + nl;
            Edit inside = put(prefix + "{" + nl + "}" + nl, file, path, key, value);
            Map<String, String> undo = new HashMap<>(Map.of(CREATED, "-1", DOCUMENT, text));
            return new Edit(inside.text(), undo);
        }
        Obj[] chain = chain(text, file, root, path);
        Style style = Style.of(text, (Obj) root);
        int depth = 0;
        while (depth < path.size() && chain[depth + 1] != null) {
            depth++;
        }
        Map<String, String> undo = new HashMap<>();
        if (depth == path.size()) {
            Member m = chain[depth].member(key);
            if (m != null) {
                String indent = style.memberIndent(text, chain[depth], m);
                boolean compact = !style.multiLine(text, chain[depth]);
                String rendered = render(value, indent, style, compact);
                return new Edit(splice(text, m.value().start(), m.value().end(), rendered), undo);
            }
            return new Edit(insert(text, chain[depth], key, value, style, undo), undo);
        }
        // Create path[depth..] as one new member of the deepest object that exists.
        JsonNode nested = value;
        for (int i = path.size() - 1; i > depth; i--) {
            ObjectNode wrap = JsonNodeFactory.instance.objectNode();
            wrap.set(i == path.size() - 1 ? key : path.get(i + 1), nested);
            nested = wrap;
        }
        ObjectNode container = JsonNodeFactory.instance.objectNode();
        container.set(depth == path.size() - 1 ? key : path.get(depth + 1), nested);
        undo.put(CREATED, String.valueOf(depth));
        return new Edit(insert(text, chain[depth], path.get(depth), container, style, undo), undo);
    }

    /** Replaces {@code path.key}'s value with {@code valueText} as it is (to give back a user's own entry). */
    static String replaceValue(String text, Path file, List<String> path, String key, String valueText) throws McpConfigException {
        Node root = JsoncTree.parse(text, file);
        Obj[] chain = root == null ? null : chain(text, file, root, path);
        Member m = chain == null || chain[path.size()] == null ? null : chain[path.size()].member(key);
        if (m == null) {
            return text;
        }
        return splice(text, m.value().start(), m.value().end(), valueText);
    }

    /**
     * Removes {@code path.key}, and with {@code undo} from its insertion also the objects that insertion
     * created once they hold nothing else, restoring an emptied object's former inside (or the whole
     * former text), so that a file nobody else touched comes back byte for byte.
     */
    static String remove(String text, Path file, List<String> path, String key, Map<String, String> undo) throws McpConfigException {
        Node root = JsoncTree.parse(text, file);
        if (root == null) {
            return text;
        }
        Obj[] chain = chain(text, file, root, path);
        int k = path.size();
        Member target = chain[k] == null ? null : chain[k].member(key);
        if (target == null) {
            return text;
        }
        int created = Integer.parseInt(undo.getOrDefault(CREATED, String.valueOf(k)));
        int level = k;
        while (level > 0 && level > created && chain[level].members().size() == 1) {
            target = chain[level - 1].member(path.get(level - 1));
            level--;
        }
        Obj holder = chain[level];
        if (holder.members().size() > 1) {
            return removeMember(text, holder, target);
        }
        if (level == 0 && created < 0 && undo.containsKey(DOCUMENT)) {
            return undo.get(DOCUMENT);
        }
        int insertedInto = Math.max(0, Math.min(created, k));
        return empty(text, holder, target, level == insertedInto ? undo.getOrDefault(INNER, "") : "");
    }

    /** {@code chain[i]} is the object at {@code path[0..i)}, or null from the first one missing on. */
    private static Obj[] chain(String text, Path file, Node root, List<String> path) throws McpConfigException {
        if (!(root instanceof Obj obj)) {
            throw new McpConfigException(file, McpConfigException.line(text, root.start()),
                    "the top level is not a JSON object; Hearth has not changed the file");
        }
        Obj[] chain = new Obj[path.size() + 1];
        chain[0] = obj;
        for (int i = 0; i < path.size(); i++) {
            Member m = chain[i].member(path.get(i));
            if (m == null) {
                break;
            }
            if (!(m.value() instanceof Obj next)) {
                throw new McpConfigException(file, McpConfigException.line(text, m.keyStart()),
                        "\"" + path.get(i) + "\" is not an object; Hearth has not changed the file");
            }
            chain[i + 1] = next;
        }
        return chain;
    }

    private static String insert(String text, Obj obj, String key, JsonNode value, Style style, Map<String, String> undo) {
        List<Member> members = obj.members();
        if (!members.isEmpty()) {
            Member last = members.get(members.size() - 1);
            if (style.multiLine(text, obj)) {
                String indent = style.memberIndent(text, obj, last);
                return splice(text, last.value().end(), last.value().end(),
                        "," + style.nl + indent + quote(key) + ": " + render(value, indent, style, false));
            }
            return splice(text, last.value().end(), last.value().end(), ", " + quote(key) + ": " + render(value, "", style, true));
        }
        String inner = text.substring(obj.start() + 1, obj.end() - 1);
        undo.put(INNER, inner);
        if (!style.multiLineFile) {
            return splice(text, obj.start() + 1, obj.end() - 1, quote(key) + ": " + render(value, "", style, true));
        }
        String outer = lineIndent(text, obj.start());
        String indent = outer + style.unit;
        return splice(text, obj.start() + 1, obj.end() - 1,
                style.nl + indent + quote(key) + ": " + render(value, indent, style, false) + style.nl + outer);
    }

    /**
     * Removes a member of an object that has others. After an earlier member: from the comma before it to
     * its value's end, keeping any comment in between (the exact inverse of {@link #insert}). As the
     * first member: from its key to the next member's key, keeping comments.
     */
    private static String removeMember(String text, Obj obj, Member target) {
        int i = obj.members().indexOf(target);
        if (i > 0) {
            int comma = commaAfter(text, obj.members().get(i - 1).value().end());
            String kept = keptComments(text, comma + 1, target.keyStart());
            int eol = text.indexOf('\n', target.value().end());
            String restOfLine = text.substring(target.value().end(), eol < 0 ? text.length() : eol);
            if (kept.contains("//") && kept.lastIndexOf("//") > kept.lastIndexOf("*/") && !restOfLine.isBlank()) {
                // A kept line comment must not swallow what followed the removed member on its line.
                kept += (text.contains("\r\n") ? "\r\n" : "\n") + lineIndent(text, target.keyStart());
            }
            return text.substring(0, comma) + kept + text.substring(target.value().end());
        }
        int next = obj.members().get(1).keyStart();
        List<int[]> comments = JsoncTree.comments(text, commaAfter(text, target.value().end()) + 1, next);
        return text.substring(0, target.keyStart()) + text.substring(comments.isEmpty() ? next : comments.get(0)[0]);
    }

    /** The comma that follows the value ending at {@code pos}, past blanks and comments. */
    private static int commaAfter(String text, int pos) {
        int i = pos;
        while (text.charAt(i) != ',') {
            if (text.startsWith("//", i)) {
                i = text.indexOf('\n', i);
            } else if (text.startsWith("/*", i)) {
                i = text.indexOf("*/", i) + 2;
            } else {
                i++;
            }
        }
        return i;
    }

    /** Empties an object whose only member is {@code target}: its former inside back, unless someone commented inside it since. */
    private static String empty(String text, Obj obj, Member target, String inner) {
        boolean commentedOutside = JsoncTree.comments(text, obj.start() + 1, target.keyStart()).size()
                + JsoncTree.comments(text, target.value().end(), obj.end() - 1).size() > 0;
        if (!commentedOutside) {
            return splice(text, obj.start() + 1, obj.end() - 1, inner);
        }
        int end = target.value().end();
        int after = end;
        while (after < obj.end() - 1 && Character.isWhitespace(text.charAt(after))) {
            after++;
        }
        return splice(text, target.keyStart(), after < text.length() && text.charAt(after) == ',' ? after + 1 : end, "");
    }

    /** From the first comment in [from, to) through the last one, or "" when there is none. */
    private static String keptComments(String text, int from, int to) {
        List<int[]> comments = JsoncTree.comments(text, from, to);
        if (comments.isEmpty()) {
            return "";
        }
        int start = comments.get(0)[0];
        int wsStart = start;
        while (wsStart > from && (text.charAt(wsStart - 1) == ' ' || text.charAt(wsStart - 1) == '\t')) {
            wsStart--;
        }
        return text.substring(wsStart, comments.get(comments.size() - 1)[1]);
    }

    private static String splice(String text, int from, int to, String with) {
        return text.substring(0, from) + with + text.substring(to);
    }

    /** The blanks that start the line holding {@code pos}. */
    static String lineIndent(String text, int pos) {
        int start = text.lastIndexOf('\n', pos - 1) + 1;
        int j = start;
        while (j < text.length() && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
            j++;
        }
        return text.substring(start, j);
    }

    private static boolean firstOnLine(String text, int pos) {
        int start = text.lastIndexOf('\n', pos - 1) + 1;
        return text.substring(start, pos).isBlank();
    }

    /** {@code value} as JSON text whose continuation lines start with {@code indent}. */
    static String render(JsonNode value, String indent, Style style, boolean compact) {
        if (value.isObject()) {
            if (value.isEmpty()) {
                return "{}";
            }
            StringBuilder sb = new StringBuilder("{");
            String inner = indent + style.unit;
            boolean first = true;
            for (var e : (Iterable<Map.Entry<String, JsonNode>>) value::fields) {
                sb.append(first ? "" : ",");
                sb.append(compact ? (first ? "" : " ") : style.nl + inner);
                sb.append(quote(e.getKey())).append(": ").append(render(e.getValue(), inner, style, compact));
                first = false;
            }
            return sb.append(compact ? "" : style.nl + indent).append('}').toString();
        }
        if (value.isArray()) {
            boolean flat = compact;
            if (!flat) {
                flat = true;
                for (JsonNode item : value) {
                    flat &= !item.isContainerNode();
                }
            }
            StringBuilder sb = new StringBuilder("[");
            String inner = indent + style.unit;
            boolean first = true;
            for (JsonNode item : value) {
                sb.append(first ? "" : ",").append(flat ? (first ? "" : " ") : style.nl + inner);
                sb.append(render(item, inner, style, compact));
                first = false;
            }
            return sb.append(flat || value.isEmpty() ? "" : style.nl + indent).append(']').toString();
        }
        return value.isTextual() ? quote(value.textValue()) : value.toString();
    }

    /** {@code s} as a JSON string, which is also a TOML basic string ({@link TomlTables} uses it). */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                // DEL too: TOML (which shares this) forbids it raw, JSON accepts it either way.
                default -> sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04X", (int) c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }

    /** How the file writes JSON: its line ending, its indentation unit, and whether it spans lines at all. */
    record Style(String nl, String unit, boolean multiLineFile) {
        static Style of(String text, Obj root) {
            String nl = text.contains("\r\n") ? "\r\n" : "\n";
            String unit = unit(text, root);
            boolean multiLine = root.members().isEmpty() || text.substring(root.start(), root.end()).contains("\n");
            return new Style(nl, unit == null ? "  " : unit, multiLine);
        }

        /** The first indentation step found: a member on its own line, deeper than its object's line. */
        private static String unit(String text, Obj obj) {
            String outer = lineIndent(text, obj.start());
            for (Member m : obj.members()) {
                if (firstOnLine(text, m.keyStart())) {
                    String own = lineIndent(text, m.keyStart());
                    if (own.length() > outer.length() && own.startsWith(outer)) {
                        return own.substring(outer.length());
                    }
                }
                if (m.value() instanceof Obj child) {
                    String found = unit(text, child);
                    if (found != null) {
                        return found;
                    }
                }
            }
            return null;
        }

        boolean multiLine(String text, Obj obj) {
            return text.substring(obj.start(), obj.end()).contains("\n");
        }

        /** The indentation of {@code m}'s line when it starts the line, else one step in from its object's line. */
        String memberIndent(String text, Obj obj, Member m) {
            return firstOnLine(text, m.keyStart()) ? lineIndent(text, m.keyStart()) : lineIndent(text, obj.start()) + unit;
        }
    }
}
