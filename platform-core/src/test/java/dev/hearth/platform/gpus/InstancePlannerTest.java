package dev.hearth.platform.gpus;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class InstancePlannerTest {
    private final GpuCatalog catalog = GpuCatalog.bundled();
    private final InstancePlanner planner = new InstancePlanner(catalog);

    @Test
    void theBundledCatalogCoversTheThreeCloudsAndOnPrem() {
        assertTrue(catalog.all().size() >= 19);
        for (String cloud : List.of("aws", "gcp", "azure", "onprem")) {
            assertFalse(catalog.filter(0, cloud).isEmpty(), cloud);
        }
        List<GpuInstance> big = catalog.filter(80, "aws");
        assertTrue(big.stream().allMatch(i -> i.gpuMemoryGb() >= 80));
        assertEquals("p4de.24xlarge", big.get(0).type(), "cheapest first: " + big);
        List<GpuInstance> onprem = catalog.filter(0, "onprem");
        assertTrue(onprem.stream().allMatch(i -> i.hourlyUsd() == null), "on-prem kinds have no price");
        assertTrue(catalog.all().stream().allMatch(i -> i.source().startsWith("https://")), "every row cites its source");
    }

    @Test
    void theCheapestFittingInstanceIsChosenAndExplained() {
        MemoryEstimate small = MemoryEstimate.of(KnownModels.find("Qwen3-0.6B").orElseThrow(), 8_192);
        InstancePlanner.Choice c = planner.cheapest(small, List.of(), null, null).orElseThrow();
        assertEquals("Standard_NC4as_T4_v3", c.instance().type(), c.why());
        assertTrue(c.why().contains("cheapest of"), c.why());

        MemoryEstimate llama8 = MemoryEstimate.of(KnownModels.find("Llama-3.1-8B-Instruct").orElseThrow(), 8_192);
        assertEquals("g2-standard-4", planner.cheapest(llama8, List.of(), null, null).orElseThrow().instance().type(),
                "a 24 GB L4 on GCP is the cheapest that holds 16 GB of weights");
        assertEquals("g6.xlarge", planner.cheapest(llama8, List.of(), "aws", "us-east-1").orElseThrow().instance().type());

        MemoryEstimate llama70 = MemoryEstimate.of(KnownModels.find("Llama-3.1-70B-Instruct").orElseThrow(), 8_192);
        GpuInstance big = planner.cheapest(llama70, List.of("H100", "A100"), null, null).orElseThrow().instance();
        assertTrue(big.totalMemoryGb() >= 160, big.toString());
        assertTrue(planner.cheapest(llama70, List.of("T4"), null, null).isEmpty(), "a model that fits no allowed GPU");
    }

    @Test
    void badCatalogLinesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> GpuCatalog.parse("header\naws,x,H100,8\n"));
    }
}
