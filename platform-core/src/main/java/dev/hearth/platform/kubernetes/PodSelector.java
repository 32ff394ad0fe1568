package dev.hearth.platform.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector in its string form, as {@code kubectl -l} and the API's
 * {@code labelSelector} take it (k8s.io/apimachinery/pkg/labels/selector.go): requirements joined
 * by commas, each {@code key}, {@code !key}, {@code key=value}, {@code key==value},
 * {@code key!=value}, {@code key in (a,b)} or {@code key notin (a,b)}. Parsed here so that a bad
 * selector is a one-line error before anything connects, and so tests can match labels with it.
 */
public record PodSelector(List<Requirement> requirements) {

    /** One requirement on one label. */
    public record Requirement(String key, Operator operator, List<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case EXISTS -> v != null;
                case NOT_EXISTS -> v == null;
                case EQUALS, IN -> v != null && values.contains(v);
                case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
            };
        }

        @Override
        public String toString() {
            return switch (operator) {
                case EXISTS -> key;
                case NOT_EXISTS -> "!" + key;
                case EQUALS -> key + "=" + values.get(0);
                case NOT_EQUALS -> key + "!=" + values.get(0);
                case IN -> key + " in (" + String.join(",", values) + ")";
                case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
            };
        }
    }

    public enum Operator { EXISTS, NOT_EXISTS, EQUALS, NOT_EQUALS, IN, NOT_IN }

    // A qualified name: an optional DNS-subdomain prefix and '/', then up to 63 alphanumerics with -_. inside.
    private static final String NAME = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
    private static final Pattern KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?" + NAME);
    private static final Pattern VALUE = Pattern.compile("(" + NAME + ")?");
    private static final Pattern SET = Pattern.compile("(\\S+)\\s+(in|notin)\\s*\\((.*)\\)");

    public PodSelector {
        requirements = List.copyOf(requirements);
    }

    /** Parses {@code text}; an {@link IllegalArgumentException} names what is wrong in one line. */
    public static PodSelector parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a label selector is empty; give one such as app.kubernetes.io/name=hearth-engine");
        }
        List<Requirement> out = new ArrayList<>();
        for (String part : split(text)) {
            out.add(requirement(part.trim(), text));
        }
        return new PodSelector(out);
    }

    /** Whether a pod (or any object) with these labels is selected. */
    public boolean matches(Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        return requirements.stream().allMatch(r -> r.matches(l));
    }

    /** The canonical string form, for the API's labelSelector parameter. */
    @Override
    public String toString() {
        return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
    }

    /** Splits on the commas outside parentheses. */
    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
            if (depth < 0 || depth > 1) {
                throw bad(text, "unbalanced parentheses");
            }
        }
        if (depth != 0) {
            throw bad(text, "unbalanced parentheses");
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static Requirement requirement(String part, String text) {
        if (part.isEmpty()) {
            throw bad(text, "an empty requirement between commas");
        }
        Matcher set = SET.matcher(part);
        if (set.matches()) {
            List<String> values = new ArrayList<>();
            for (String v : set.group(3).split(",", -1)) {
                values.add(value(v.trim(), text));
            }
            return new Requirement(key(set.group(1), text), set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN,
                    values);
        }
        if (part.startsWith("!")) {
            return new Requirement(key(part.substring(1).trim(), text), Operator.NOT_EXISTS, List.of());
        }
        int ne = part.indexOf("!=");
        if (ne >= 0) {
            return new Requirement(key(part.substring(0, ne).trim(), text), Operator.NOT_EQUALS,
                    List.of(value(part.substring(ne + 2).trim(), text)));
        }
        int eq = part.indexOf('=');
        if (eq >= 0) {
            int valueAt = part.startsWith("==", eq) ? eq + 2 : eq + 1;
            return new Requirement(key(part.substring(0, eq).trim(), text), Operator.EQUALS,
                    List.of(value(part.substring(valueAt).trim(), text)));
        }
        return new Requirement(key(part, text), Operator.EXISTS, List.of());
    }

    private static String key(String key, String text) {
        if (!KEY.matcher(key).matches()) {
            throw bad(text, "'" + key + "' is not a label key (NAME or PREFIX/NAME: letters, digits, '-', '_', '.')");
        }
        return key;
    }

    private static String value(String value, String text) {
        if (!VALUE.matcher(value).matches()) {
            throw bad(text, "'" + value + "' is not a label value (up to 63 letters, digits, '-', '_', '.')");
        }
        return value;
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("label selector '" + text + "': " + why);
    }
}
