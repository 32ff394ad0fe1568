package dev.hearth.platform.config;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The schema document names every key the loader knows, and only those. */
class ConfigSchemaDocTest {

    @Test
    void everyKnownKeyIsDocumentedOnce() throws Exception {
        String doc;
        try (InputStream in = ModelConfig.class.getResourceAsStream("config-schema.md")) {
            doc = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> documented = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z_.]+)` \\|").matcher(doc);
        while (m.find()) {
            documented.add(m.group(1));
        }
        List<String> known = new ArrayList<>();
        ConfigLoader.knownKeys().forEach((section, keys) -> keys.forEach(k -> {
            boolean isSection = section.isEmpty() && ConfigLoader.knownKeys().containsKey(k);
            if (!isSection) {
                known.add(section.isEmpty() ? k : section + "." + k);
            }
        }));
        assertEquals(known.stream().sorted().toList(), documented.stream().sorted().toList());
    }
}
