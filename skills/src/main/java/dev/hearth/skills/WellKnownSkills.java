package dev.hearth.skills;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import java.util.function.Consumer;

/**
 * Agent Skills Discovery v0.2.0 on the gateway: {@code /.well-known/agent-skills/index.json}, each
 * file at {@code /.well-known/agent-skills/NAME/PATH}, and each skill as {@code NAME.tar.gz}; what
 * the npm {@code skills} CLI and {@code hearth skills install --from URL} read.
 */
public final class WellKnownSkills implements Consumer<JavalinConfig> {
    public static final String BASE = "/.well-known/agent-skills/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SkillSet skills;
    private final byte[] index;

    public WellKnownSkills(SkillSet skills) {
        this.skills = skills;
        try {
            this.index = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(DiscoveryIndex.wellKnown(skills, BASE));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void accept(JavalinConfig javalin) {
        var r = javalin.routes;
        r.get(BASE + "index.json", ctx -> ctx.contentType("application/json").result(index));
        r.get(BASE + "<rest>", ctx -> {
            String rest = ctx.pathParam("rest");
            if (rest.endsWith(".tar.gz") && !rest.contains("/")) {
                Skill s = skills.get(rest.substring(0, rest.length() - ".tar.gz".length()));
                if (s != null) {
                    ctx.contentType("application/gzip").result(SkillPackage.of(s));
                    return;
                }
            }
            int slash = rest.indexOf('/');
            Skill s = slash < 0 ? null : skills.get(rest.substring(0, slash));
            String path = slash < 0 ? null : rest.substring(slash + 1);
            SkillFile f = s == null || !SkillPaths.safe(path) ? null : s.file(path);
            if (f == null) {
                ctx.status(404).contentType("application/json").result(JSON.writeValueAsBytes(java.util.Map.of("error",
                        java.util.Map.of("message", "no skill file at " + BASE + rest + "; see " + BASE + "index.json",
                                "type", "not_found_error"))));
                return;
            }
            ctx.contentType(path.endsWith(".md") ? "text/markdown; charset=utf-8" : "text/plain; charset=utf-8")
                    .result(f.bytes());
        });
    }
}
