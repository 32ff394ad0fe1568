package dev.hearth.cli;

import dev.hearth.platform.api.ControlClient;
import java.net.URI;
import picocli.CommandLine.Option;

/** The running Hearth a command talks to: its address and bearer key, shared by every such command. */
final class HearthTarget {
    @Option(names = "--url", description = "The running Hearth (default: $HEARTH_URL, else http://127.0.0.1:8080).")
    URI url;

    @Option(names = "--api-key", description = "Bearer key when Hearth requires one (default: $HEARTH_API_KEY).")
    String apiKey;

    ControlClient client() {
        return new ControlClient(url, apiKey);
    }
}
