package dev.hearth.platform.gpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * GPU instance types across clouds (AWS, GCP, Azure) and on-prem kinds, shipped as
 * {@code catalog.csv} with its sources and date (SOURCES.md beside it).
 */
public final class GpuCatalog {
    private final List<GpuInstance> instances;

    public GpuCatalog(List<GpuInstance> instances) {
        this.instances = List.copyOf(instances);
    }

    /** The catalog shipped in the jar. */
    public static GpuCatalog bundled() {
        try (InputStream in = GpuCatalog.class.getResourceAsStream("catalog.csv")) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GpuCatalog parse(String csv) {
        List<GpuInstance> out = new ArrayList<>();
        boolean header = true;
        for (String line : csv.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 9) {
                throw new IllegalArgumentException("catalog line has " + f.length + " fields, not 9: " + line);
            }
            out.add(new GpuInstance(f[0], f[1], f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]), f[5],
                    f[6].isBlank() ? null : Double.valueOf(f[6]),
                    f[7].isBlank() ? List.of() : Arrays.asList(f[7].trim().split("\\s+")), f[8]));
        }
        return new GpuCatalog(out);
    }

    public List<GpuInstance> all() {
        return instances;
    }

    /** Instances with at least {@code minGpuMemoryGb} per GPU, on {@code cloud} (null: any), cheapest first, unpriced last. */
    public List<GpuInstance> filter(int minGpuMemoryGb, String cloud) {
        return instances.stream()
                .filter(i -> i.gpuMemoryGb() >= minGpuMemoryGb)
                .filter(i -> cloud == null || i.cloud().equals(cloud.toLowerCase(Locale.ROOT)))
                .sorted(Comparator.comparing((GpuInstance i) -> i.hourlyUsd() == null)
                        .thenComparing(i -> i.hourlyUsd() == null ? 0 : i.hourlyUsd())
                        .thenComparing(GpuInstance::type))
                .toList();
    }
}
