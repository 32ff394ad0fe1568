package dev.hearth.enginesim.bench;

import dev.hearth.enginesim.cluster.DecisionBus;
import dev.hearth.enginesim.cluster.GatewayFleet;
import dev.hearth.enginesim.cluster.VirtualClock;
import dev.hearth.router.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * How the gateways in front of the replicas learn what the replicas cache: how many gateways, whether
 * they follow the engines' KV events, and, without events, whether they share their decisions over
 * the {@link DecisionBus}. A contender with sessions shares its bindings among the gateways in every
 * setup, as the gateways do through Redis; the decisions are what the setups vary.
 */
public record GatewaySetup(int gateways, boolean kvEvents, boolean sharing) {
    public GatewaySetup {
        if (gateways < 1 || gateways > 64) {
            throw new IllegalArgumentException("--gateways takes counts between 1 and 64, was " + gateways);
        }
    }

    /** The reference the others are measured against: one gateway without KV events, learning from its own decisions. */
    public static final GatewaySetup ONE_WITHOUT_EVENTS = new GatewaySetup(1, false, false);

    /**
     * One gateway with KV events and one without, then each larger count without events, unshared,
     * then shared, then with KV events: the order the report lists them in. The last are the control:
     * every index exact, only the load counts split over the gateways, so what sharing leaves between
     * them is what the decision-based index still gets wrong.
     */
    public static List<GatewaySetup> plan(List<Integer> counts) {
        TreeSet<Integer> several = new TreeSet<>();
        for (int g : counts) {
            new GatewaySetup(g, false, false); // validates
            if (g > 1) {
                several.add(g);
            }
        }
        List<GatewaySetup> out = new ArrayList<>(List.of(new GatewaySetup(1, true, false), ONE_WITHOUT_EVENTS));
        several.forEach(g -> out.add(new GatewaySetup(g, false, false)));
        several.forEach(g -> out.add(new GatewaySetup(g, false, true)));
        several.forEach(g -> out.add(new GatewaySetup(g, true, false)));
        return out;
    }

    /** A row label: {@code 4 gateways, shared decisions}. */
    public String label() {
        return gateways + (gateways == 1 ? " gateway, " : " gateways, ")
                + (kvEvents ? "KV events" : sharing ? "shared decisions" : "own decisions");
    }

    /** A chart's label, short enough to stand under a bar: {@code 4 gw, shared}. */
    public String shortLabel() {
        return gateways + " gw, " + (kvEvents ? "KV events" : sharing ? "shared" : "own");
    }

    /** Fresh routers for {@code contender}, one per gateway (gateway g's policy seeded with seed + g), wired as this setup says. */
    public GatewayFleet fleet(Contender contender, VirtualClock clock, long seed, DecisionBus.Settings share) {
        List<Router> routers = new ArrayList<>();
        for (int g = 0; g < gateways; g++) {
            routers.add(contender.router(clock, seed + g));
        }
        return new GatewayFleet(routers, kvEvents, sharing ? new DecisionBus(share, routers) : null, contender.sessions());
    }
}
