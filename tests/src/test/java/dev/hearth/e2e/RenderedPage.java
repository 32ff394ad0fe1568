package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The elements of a page Chromium serialized ({@code --dump-dom}) that carry {@code data-*}
 * attributes, each with its attributes and the text right after its start tag. The dashboard marks
 * every number it shows this way (data-metric, data-value, data-deployment, ...), so a test reads
 * what is shown without an HTML parser: Chromium writes attributes as {@code name="value"} with
 * {@code &amp; &quot; &lt; &gt;} escaped, per the HTML serialization algorithm.
 */
record RenderedPage(List<Element> elements) {
    /** One start tag: its name, attributes in order, and the text before the next tag. */
    record Element(String tag, Map<String, String> attributes, String text) {
        String attr(String name) {
            return attributes.get(name);
        }

        double number() {
            return Double.parseDouble(attributes.get("data-value"));
        }
    }

    private static final Pattern TAG = Pattern.compile("<([a-zA-Z][a-zA-Z0-9-]*)((?:\\s+[^\\s=>/]+(?:=\"[^\"]*\")?)*)\\s*/?>([^<]*)");
    private static final Pattern ATTRIBUTE = Pattern.compile("([^\\s=>/]+)(?:=\"([^\"]*)\")?");

    static RenderedPage parse(String html) {
        List<Element> out = new ArrayList<>();
        Matcher m = TAG.matcher(html);
        while (m.find()) {
            if (!m.group(2).contains("data-")) {
                continue;
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher a = ATTRIBUTE.matcher(m.group(2));
            while (a.find()) {
                attributes.put(a.group(1), a.group(2) == null ? "" : unescape(a.group(2)));
            }
            out.add(new Element(m.group(1), attributes, unescape(m.group(3))));
        }
        return new RenderedPage(out);
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u00a0")
                .replace("&amp;", "&");
    }

    /** Elements with every attribute given (name, value, name, value ...). */
    List<Element> all(String... attributeValues) {
        List<Element> out = new ArrayList<>();
        for (Element e : elements) {
            boolean match = true;
            for (int i = 0; i < attributeValues.length; i += 2) {
                if (!attributeValues[i + 1].equals(e.attr(attributeValues[i]))) {
                    match = false;
                    break;
                }
            }
            if (match) {
                out.add(e);
            }
        }
        return out;
    }

    /** The one element with every attribute given; fails when there are none or several. */
    Element one(String... attributeValues) {
        List<Element> found = all(attributeValues);
        assertEquals(1, found.size(), "elements with " + List.of(attributeValues) + ": " + found);
        return found.get(0);
    }

    /** The one number marked {@code data-metric=NAME} with the given context attributes. */
    Element metric(String name, String... context) {
        String[] all = new String[context.length + 2];
        all[0] = "data-metric";
        all[1] = name;
        System.arraycopy(context, 0, all, 2, context.length);
        return one(all);
    }
}
