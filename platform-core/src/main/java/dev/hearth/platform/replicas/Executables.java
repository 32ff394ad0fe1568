package dev.hearth.platform.replicas;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a program on PATH, as a shell would, to say up front that an engine is not installed. */
final class Executables {
    private Executables() {}

    /** Null when {@code name} runs here; else a message naming what to install. */
    static String missing(String name, String what) {
        if (name.contains("/")) {
            return Files.isExecutable(Path.of(name)) ? null : name + " is not executable; install " + what;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return null;
            }
        }
        return "`" + name + "` is not on PATH; install " + what + ", or use `launcher: simulator`";
    }
}
