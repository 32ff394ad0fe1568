package dev.hearth.cli;

import dev.hearth.platform.gpus.GpuCatalog;
import dev.hearth.platform.gpus.GpuInstance;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hearth gpus}: the GPU instance catalog, cheapest first. */
@Command(name = "gpus", mixinStandardHelpOptions = true,
        description = "List GPU instance types across clouds and on-prem kinds, cheapest first.")
public final class GpusCommand implements Callable<Integer> {

    @Option(names = "--min-memory", paramLabel = "SIZE", defaultValue = "0",
            description = "Least memory per GPU, e.g. 24GB (default: any).")
    String minMemory;

    @Option(names = "--cloud", description = "aws, gcp, azure or onprem (default: all).")
    String cloud;

    @Mixin
    ListingOutput output = new ListingOutput();

    @Override
    public Integer call() throws Exception {
        if (cloud != null && !List.of("aws", "gcp", "azure", "onprem").contains(cloud.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("--cloud must be aws, gcp, azure or onprem, was '" + cloud + "'");
        }
        boolean json = output.json();
        List<GpuInstance> rows = GpuCatalog.bundled().filter(gigabytes(minMemory), cloud);
        if (json) {
            ListingOutput.printJson(rows);
            return 0;
        }
        System.out.printf("%-7s %-26s %-9s %5s %8s %10s  %s%n", "CLOUD", "INSTANCE", "GPU", "COUNT", "MEM/GPU", "USD/HOUR", "REGIONS");
        for (GpuInstance i : rows) {
            System.out.printf(Locale.ROOT, "%-7s %-26s %-9s %5d %6d GB %10s  %s%n", i.cloud(), i.type(), i.gpuModel(),
                    i.gpuCount(), i.gpuMemoryGb(), i.hourlyUsd() == null ? "-" : String.format(Locale.ROOT, "%.2f", i.hourlyUsd()),
                    String.join(" ", i.regions()));
        }
        System.out.println("Prices: on-demand list prices compiled 2026-11-25 from the vendors' price APIs; check live before budgeting.");
        return 0;
    }

    /** "24GB", "24G", "24" (GB) to whole gigabytes. */
    static int gigabytes(String size) {
        String s = size.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", "");
        s = s.endsWith("GB") ? s.substring(0, s.length() - 2) : s.endsWith("G") ? s.substring(0, s.length() - 1) : s;
        try {
            int gb = Integer.parseInt(s);
            if (gb < 0) {
                throw new NumberFormatException();
            }
            return gb;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--min-memory must be a size such as 24GB, was '" + size + "'");
        }
    }
}
