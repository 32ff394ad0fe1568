package dev.hearth.cli.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding nginx and HAProxy, and what is said when they are missing. */
class PlainProxyTest {

    @Test
    void anExecutableOnPathIsFoundFirstAndAPlainFileIsNot(@TempDir Path dir) throws Exception {
        Path notRunnable = Files.createDirectories(dir.resolve("a")).resolve("haproxy");
        Files.writeString(notRunnable, "");
        Path runnable = Files.createDirectories(dir.resolve("b")).resolve("haproxy");
        Files.writeString(runnable, "#!/bin/sh\n");
        Files.setPosixFilePermissions(runnable, PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = dir.resolve("a") + File.pathSeparator + dir.resolve("b");
        assertEquals(runnable, PlainProxy.HAPROXY.locate(path).orElseThrow());
    }

    @Test
    void missingProxiesSayHowToInstallThem() {
        assertEquals("nginx", PlainProxy.NGINX.label());
        assertEquals("not installed (apt-get install nginx-light)", PlainProxy.NGINX.notInstalled());
        assertEquals("not installed (apt-get install haproxy)", PlainProxy.HAPROXY.notInstalled());
    }
}
