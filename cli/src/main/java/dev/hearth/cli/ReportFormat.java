package dev.hearth.cli;

import picocli.CommandLine.Option;

/** How a benchmark prints its report, as every {@code hearth bench} command takes it. */
final class ReportFormat {
    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    /** True for JSON, false for a table; a one-line error for anything else, checked before any work starts. */
    boolean json() {
        if (!format.equals("table") && !format.equals("json")) {
            throw new IllegalArgumentException("--format must be table or json, was '" + format + "'");
        }
        return format.equals("json");
    }
}
