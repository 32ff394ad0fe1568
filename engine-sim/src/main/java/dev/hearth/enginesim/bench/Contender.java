package dev.hearth.enginesim.bench;

import dev.hearth.enginesim.cluster.VirtualClock;
import dev.hearth.router.Router;
import dev.hearth.router.policy.Policies;
import dev.hearth.router.prefix.PrefixIndex;
import dev.hearth.router.session.SessionAffinity;
import java.util.ArrayList;
import java.util.List;

/**
 * One router in a comparison: {@code hearth} is Hearth's default as {@code hearth serve} runs it
 * (the cost policy with session affinity); each baseline is a policy from the routing issue run as
 * its source runs it, blind to sessions. All get the same index fed by KV events, and the same load bound.
 */
public record Contender(String name, String policy, boolean sessions) {
    public static final String HEARTH = "hearth";

    public static Contender hearth() {
        return new Contender(HEARTH, "cost", true);
    }

    /**
     * Hearth, then every baseline policy; {@code cost} is Hearth's policy without session binding, so
     * the report shows what binding conversations costs or gains apart from the policy.
     */
    public static List<Contender> all() {
        List<Contender> out = new ArrayList<>(List.of(hearth()));
        for (String p : Policies.NAMES) {
            out.add(new Contender(p, p, false));
        }
        return out;
    }

    /** Whether a contender is another router's policy, not Hearth's own ({@code hearth} or {@code cost}). */
    public static boolean isBaseline(String name) {
        return !name.equals(HEARTH) && !name.equals("cost");
    }

    /** Contenders by name, {@code hearth} or a policy name; unknown names are refused with the list. */
    public static List<Contender> named(List<String> names) {
        List<Contender> all = all();
        List<Contender> out = new ArrayList<>();
        for (String n : names) {
            Contender c = all.stream().filter(x -> x.name().equals(n.trim())).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("--policies takes names from " + all.stream().map(Contender::name).toList()
                            + ", was '" + n.trim() + "'"));
            if (!out.contains(c)) {
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--policies needs at least one name");
        }
        return out;
    }

    /** A fresh router with the gateway's settings: epsilon 0.25, one-hour sessions, events stale after 10 s. */
    public Router router(VirtualClock clock, long seed) {
        return new Router(Policies.named(policy, seed, clock), new SessionAffinity(3_600_000), new PrefixIndex(), 0.25, 10_000);
    }
}
