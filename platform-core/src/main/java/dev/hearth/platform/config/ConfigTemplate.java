package dev.hearth.platform.config;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.io.ClassPathTemplateLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a config.yaml from {@code config.yaml.hbs} (Handlebars, beside this class): every key with
 * its value and a comment saying what it means, plus notes explaining a plan's choices. One template
 * for {@code hearth model init} and for plans from a sentence, so both write the same schema.
 */
public final class ConfigTemplate {
    private final Template template;

    public ConfigTemplate() {
        Handlebars hb = new Handlebars(new ClassPathTemplateLoader("/dev/hearth/platform/config", ".hbs"))
                .prettyPrint(true).with(com.github.jknack.handlebars.EscapingStrategy.NOOP); // YAML, not HTML
        try {
            this.template = hb.compile("config.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a config.yaml says; every field is written out. */
    public record Values(String sentence, List<String> notes, String model, String revision, String engine,
                         List<String> args, String launcher, int context, int gpuCount, int gpuMemory, List<String> kinds,
                         int min, int max, List<String> pools, String policy, boolean cache) {

        /** The defaults for a model and engine, as {@code hearth model init} writes them. */
        public static Values defaults(String model, String engine) {
            return new Values(null, List.of(), model, "main", engine, List.of(), "simulator", 0, 1, 0, List.of(), 1, 1,
                    List.of(), "cost", true);
        }
    }

    public String render(Values v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sentence", v.sentence() == null ? null : v.sentence().replace('"', '\'').replaceAll("\\s+", " "));
        m.put("notes", v.notes().stream().map(n -> n.replaceAll("\\s+", " ")).toList());
        m.put("model", v.model());
        m.put("revision", v.revision());
        m.put("engine", v.engine());
        m.put("args", v.args().stream().map(a -> a.replace("\\", "\\\\").replace("\"", "\\\"")).toList());
        m.put("launcher", v.launcher());
        m.put("context", v.context());
        m.put("gpuCount", v.gpuCount());
        m.put("gpuMemory", v.gpuMemory());
        m.put("kinds", v.kinds().stream().map(k -> k.contains(" ") ? "\"" + k + "\"" : k).toList());
        m.put("min", v.min());
        m.put("max", v.max());
        m.put("pools", v.pools());
        m.put("policy", v.policy());
        m.put("cache", v.cache());
        m.put("autoscale", v.min() < v.max());
        try {
            return template.apply(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
