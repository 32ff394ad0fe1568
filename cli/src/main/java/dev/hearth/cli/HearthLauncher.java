package dev.hearth.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The command an assistant should run to start this very Hearth: the {@code hearth} launcher script
 * when it started us (it exports {@code HEARTH_LAUNCHER}), else this java with {@code -jar} and the
 * shaded jar, else (running from a build's classes) this java with the class path.
 */
final class HearthLauncher {
    private HearthLauncher() {}

    static List<String> command() {
        String launcher = System.getenv("HEARTH_LAUNCHER");
        if (launcher != null && Files.isRegularFile(Path.of(launcher))) {
            return List.of(Path.of(launcher).toAbsolutePath().normalize().toString());
        }
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        try {
            Path code = Path.of(Hearth.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(code) && code.getFileName().toString().endsWith(".jar")) {
                return List.of(java, "-jar", code.toAbsolutePath().normalize().toString());
            }
        } catch (java.net.URISyntaxException | SecurityException | NullPointerException e) {
            // no code source to point at: fall through to the class path
        }
        return List.of(java, "-cp", System.getProperty("java.class.path"), Hearth.class.getName());
    }
}
