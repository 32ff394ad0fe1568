package dev.hearth.platform.api;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI description lists exactly the routes the control API serves, each with its responses. */
class OpenApiTest {

    @Test
    void describesEveryRouteAndNoOther() throws Exception {
        JsonNode spec = new ObjectMapper().readTree(ControlApi.class.getResourceAsStream("openapi.json"));
        assertEquals("3.1.0", spec.path("openapi").asText());
        Set<String> described = new TreeSet<>();
        spec.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (!m.equals("parameters")) {
                described.add(m.toUpperCase() + " " + p.getKey());
                assertFalse(p.getValue().path(m).path("responses").isEmpty(), m + " " + p.getKey() + " has responses");
                assertTrue(p.getValue().path(m).hasNonNull("operationId"), m + " " + p.getKey() + " has an operationId");
            }
        }));
        assertEquals(new TreeSet<>(ControlApi.ROUTES), described);
        for (String ref : new String[] {"Deployment", "Replica", "Event", "Error"}) {
            assertTrue(spec.path("components").path("schemas").has(ref), ref);
        }
    }
}
