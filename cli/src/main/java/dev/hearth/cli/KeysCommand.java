package dev.hearth.cli;

import dev.hearth.platform.gateway.KeyHolder;
import dev.hearth.platform.gateway.KeysFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hearth keys}: the {@code --api-keys} file ({@link KeysFile}) kept without keys in it. {@code add}
 * generates a key, prints it once and writes only its SHA-256 digest; {@code list} shows who holds
 * each key by digest prefix; {@code remove} takes one out by that prefix. A running {@code hearth
 * serve} re-reads the file when it changes.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Manage an --api-keys file: add a key (printed once; only its SHA-256 digest is written), "
                + "list the keys' tenants and roles, remove one.",
        subcommands = {KeysCommand.Add.class, KeysCommand.ListKeys.class, KeysCommand.Remove.class})
public final class KeysCommand implements Runnable {

    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    /** The keys file every subcommand works on. */
    static final class KeysFileOption {
        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The keys file hearth serve --api-keys reads.")
        Path file;

        List<KeysFile.Entry> read() throws IOException {
            try {
                return KeysFile.read(file);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException(file + " does not exist");
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Generate a key for a tenant, print it once, and append only its SHA-256 digest to the file "
                    + "(created, readable by its owner only, if missing).")
    static final class Add implements Callable<Integer> {
        @Mixin
        KeysFileOption keys = new KeysFileOption();

        @Option(names = "--tenant", required = true, paramLabel = "TENANT", description = "Whose key it is: their prompts and cached answers are theirs alone.")
        String tenant;

        @Option(names = "--admin", description = "May also call the control API (/api/v1, the dashboard, MCP's tools).")
        boolean admin;

        @Option(names = "--share", paramLabel = "GROUP",
                description = "Share the prefix cache with every key of this group (its members can then time each other's prompts).")
        String share;

        @Override
        public Integer call() throws Exception {
            KeyHolder holder = new KeyHolder(tenant, admin, share);
            Path file = keys.file;
            String before = "";
            if (Files.exists(file)) {
                keys.read(); // a broken file stays as it is: its line is named first
                before = Files.readString(file, StandardCharsets.UTF_8);
            } else {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    throw new IllegalArgumentException("cannot create " + file + ": " + parent + " is not a folder");
                }
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            String key = KeysFile.newKey(new SecureRandom());
            String digest = KeysFile.digest(key);
            String line = KeysFile.line(digest, holder);
            Files.writeString(file, (before.isEmpty() || before.endsWith("\n") ? "" : "\n") + line + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            System.out.println(key);
            System.err.printf("Added %s key %s of tenant %s%s to %s; the key above is shown only this once.%n",
                    admin ? "an admin" : "a", prefix(digest), tenant, share != null ? " (sharing " + share + ")" : "", file);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Each key's tenant, role, share group and digest prefix (never the key).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        KeysFileOption keys = new KeysFileOption();

        @Mixin
        ListingOutput output = new ListingOutput();

        @Override
        public Integer call() throws Exception {
            boolean json = output.json();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (KeysFile.Entry e : keys.read()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("line", e.line());
                row.put("tenant", e.holder().tenant());
                row.put("role", e.holder().admin() ? "admin" : "inference");
                row.put("share_group", e.holder().shareGroup());
                row.put("digest_prefix", prefix(e.digest()));
                row.put("stored", e.hashed() ? "hashed" : "plain");
                rows.add(row);
            }
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("file", keys.file.toString());
                out.put("keys", rows);
                ListingOutput.printJson(out);
                return 0;
            }
            System.out.printf("%-5s %-20s %-10s %-14s %-20s %s%n", "LINE", "TENANT", "ROLE", "SHARE", "DIGEST", "STORED");
            for (Map<String, Object> r : rows) {
                System.out.printf("%-5s %-20s %-10s %-14s %-20s %s%n", r.get("line"), r.get("tenant"), r.get("role"),
                        r.get("share_group") == null ? "-" : r.get("share_group"), r.get("digest_prefix"), r.get("stored"));
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Revoke one key, named by its digest prefix as list shows it (a running Hearth stops accepting it within a second).")
    static final class Remove implements Callable<Integer> {
        @Mixin
        KeysFileOption keys = new KeysFileOption();

        @Parameters(paramLabel = "DIGEST", description = "The key's digest or a prefix of it, 8 hex digits or more (sha256: optional).")
        String digest;

        @Override
        public Integer call() throws Exception {
            String wanted = digest.toLowerCase(Locale.ROOT);
            wanted = wanted.startsWith(KeysFile.HASHED) ? wanted.substring(KeysFile.HASHED.length()) : wanted;
            if (!wanted.matches("[0-9a-f]{8,64}")) {
                throw new IllegalArgumentException("DIGEST must be 8 to 64 hex digits, as hearth keys list shows them "
                        + "(not echoed: it might be a key)");
            }
            String p = wanted;
            List<KeysFile.Entry> matching = keys.read().stream().filter(e -> e.digest().startsWith(p)).toList();
            if (matching.size() != 1) {
                throw new IllegalArgumentException(matching.isEmpty() ? "no key in " + keys.file + " has a digest starting "
                        + wanted : matching.size() + " keys in " + keys.file + " have a digest starting " + wanted
                        + "; give more digits");
            }
            KeysFile.Entry gone = matching.get(0);
            List<String> lines = new ArrayList<>(Files.readAllLines(keys.file, StandardCharsets.UTF_8));
            lines.remove(gone.line() - 1);
            Path temp = Files.createTempFile(keys.file.toAbsolutePath().getParent(), ".keys", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temp, lines, StandardCharsets.UTF_8);
            Files.move(temp, keys.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf("removed key %s of tenant %s (line %d)%n", prefix(gone.digest()), gone.holder().tenant(),
                    gone.line());
            return 0;
        }
    }

    /** How a key is named where it must not be shown: {@code sha256:} and the digest's first 12 hex digits. */
    static String prefix(String digest) {
        return KeysFile.HASHED + digest.substring(0, 12);
    }
}
