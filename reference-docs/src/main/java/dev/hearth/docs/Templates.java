package dev.hearth.docs;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.context.FieldValueResolver;
import com.github.jknack.handlebars.context.JavaBeanValueResolver;
import com.github.jknack.handlebars.context.MapValueResolver;
import com.github.jknack.handlebars.context.MethodValueResolver;
import java.io.IOException;

/**
 * Handlebars as the docs and skills use it: Markdown, not HTML (no escaping), and lookups that name
 * a fact and fail the render when the code has no such fact, so prose can never cite a flag, tool,
 * route or key the product lacks. The lookups: {@code {{cmd "nodepools create"}}},
 * {@code {{flag "serve" "--port"}}}, {@code {{default "serve" "--port"}}}, {@code {{usageOf "deploy"}}},
 * {@code {{tool "deployment_scale"}}}, {@code {{route "POST /api/v1/deployments"}}},
 * {@code {{key "replicas.min"}}} and {@code {{keyDefault "replicas.min"}}}.
 */
final class Templates {
    private final ProductFacts facts;
    // Pretty print drops the lines that hold only block tags, so Markdown tables stay whole.
    private final Handlebars handlebars = new Handlebars().with(EscapingStrategy.NOOP).prettyPrint(true);

    Templates(ProductFacts facts) {
        this.facts = facts;
        handlebars.registerHelper("cmd", (Helper<String>) (path, o) -> "`hearth " + facts.command(path).path() + "`");
        handlebars.registerHelper("flag", (Helper<String>) (cmd, o) -> "`" + facts.option(cmd, o.param(0)).longName() + "`");
        handlebars.registerHelper("default", (Helper<String>) (cmd, o) -> {
            String d = facts.option(cmd, o.param(0)).defaultValue();
            if (d == null) {
                throw new IllegalArgumentException("hearth " + cmd + " " + o.param(0) + " has no default");
            }
            return d;
        });
        handlebars.registerHelper("usageOf", (Helper<String>) (cmd, o) -> facts.command(cmd).usage().stripTrailing());
        handlebars.registerHelper("tool", (Helper<String>) (name, o) -> "`" + facts.tool(name).name() + "`");
        handlebars.registerHelper("route", (Helper<String>) (key, o) -> "`" + facts.route(key).key() + "`");
        handlebars.registerHelper("configKey", (Helper<String>) (key, o) -> "`" + facts.configKey(key).key() + "`");
        handlebars.registerHelper("configDefault", (Helper<String>) (key, o) ->
                facts.configKey(key).defaultValue().replace("`", ""));
    }

    /** Renders {@code template} (named {@code name} in errors) with the facts as its context. */
    String render(String name, String template) {
        return render(name, template, java.util.Map.of());
    }

    /** Renders with the facts and {@code more} (names to values) as its context. */
    String render(String name, String template, java.util.Map<String, Object> more) {
        try {
            Context.Builder builder = Context.newBuilder(facts).resolver(MapValueResolver.INSTANCE,
                    JavaBeanValueResolver.INSTANCE, MethodValueResolver.INSTANCE, FieldValueResolver.INSTANCE);
            more.forEach(builder::combine);
            Context context = builder.build();
            return handlebars.compileInline(template).apply(context);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(name + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }
}
