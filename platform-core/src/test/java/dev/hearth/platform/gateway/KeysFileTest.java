package dev.hearth.platform.gateway;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The --api-keys file's lines: plain and hashed keys, roles, share groups, and errors that never show a key. */
class KeysFileTest {
    private static final Path FILE = Path.of("keys.txt");

    @Test
    void plainAndHashedKeysWithRolesAndGroups() {
        String hashed = KeysFile.digest("sk-hidden");
        List<KeysFile.Entry> entries = KeysFile.parse(FILE, List.of("# comment", "", "sk-plain alpha",
                "sha256:" + hashed.toUpperCase() + " beta admin", "  sk-lab  gamma   share=lab  admin "));
        assertEquals(3, entries.size());
        assertEquals(new KeysFile.Entry(KeysFile.digest("sk-plain"), new KeyHolder("alpha", false, null), false, 3), entries.get(0));
        assertEquals(new KeysFile.Entry(hashed, new KeyHolder("beta", true, null), true, 4), entries.get(1));
        assertEquals(new KeyHolder("gamma", true, "lab"), entries.get(2).holder());
        assertEquals("tenant:alpha", entries.get(0).holder().cacheNamespace());
        assertEquals("group:lab", entries.get(2).holder().cacheNamespace());
        assertEquals("gamma admin share=lab", entries.get(2).holder().spec());
        assertEquals(entries.get(2).holder(), KeyHolder.parse(entries.get(2).holder().spec()));
        assertEquals(new KeyHolder("acme", false, null), KeyHolder.parse("acme"), "older gateways shared the tenant alone");
    }

    @Test
    void badLinesAreNamedWithoutTheirKeys() {
        String secret = "sk-do-not-print-me";
        for (var bad : List.of(
                List.of(secret, "line 1: expected 'KEY TENANT [admin] [share=GROUP]'"),
                List.of(secret + " alpha root", "line 1: word 3 is neither 'admin' nor 'share=GROUP'"),
                List.of(secret + " alpha admin admin", "word 4 is neither"),
                List.of(secret + " team:a", "line 1: a tenant is 1 to 64 letters"),
                List.of(secret + " alpha share=a:b", "a share group is 1 to 64"),
                List.of("sha256:abc alpha", "line 1: a hashed key is 'sha256:' and 64 hex digits"),
                List.of("alpha " + secret + " x", "line 1:"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KeysFile.parse(FILE, List.of(bad.get(0))), bad.get(0));
            assertTrue(e.getMessage().startsWith("keys.txt "), e.getMessage());
            assertTrue(e.getMessage().contains(bad.get(1)), e.getMessage());
            assertFalse(e.getMessage().contains(secret), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> KeysFile.parse(FILE,
                List.of(secret + " a", "sha256:" + KeysFile.digest(secret) + " b")));
        assertEquals("keys.txt line 2: the same key as line 1", twice.getMessage());
    }

    @Test
    void newKeysAreLongRandomAndWrittenAsDigests() {
        SecureRandom random = new SecureRandom();
        String a = KeysFile.newKey(random);
        assertTrue(a.matches("sk-hearth-[A-Za-z0-9_-]{43}"), a);
        assertNotEquals(a, KeysFile.newKey(random));
        String line = KeysFile.line(KeysFile.digest(a), new KeyHolder("t", true, "g"));
        assertEquals("sha256:" + KeysFile.digest(a) + " t admin share=g", line);
        assertFalse(line.contains(a));
        assertEquals(KeysFile.digest(a), KeysFile.parse(FILE, List.of(line)).get(0).digest());
    }
}
