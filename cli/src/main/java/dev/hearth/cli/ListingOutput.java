package dev.hearth.cli;

import picocli.CommandLine.Option;

/** How a listing command prints, as {@code kubectl} spells it: {@code --output table} or {@code json}. */
final class ListingOutput {
    @Option(names = "--output", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    String output;

    /** True for JSON, false for a table; a one-line error for anything else, checked before any work starts. */
    boolean json() {
        if (!output.equals("table") && !output.equals("json")) {
            throw new IllegalArgumentException("--output must be table or json, was '" + output + "'");
        }
        return output.equals("json");
    }

    /** Prints {@code value} as indented JSON, the shape every listing command's --output json has. */
    static void printJson(Object value) throws java.io.IOException {
        System.out.println(dev.hearth.platform.api.ControlClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
    }
}
