package dev.hearth.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The stdio side of {@link SkillsExtension}: reads the client's messages line by line, answers
 * {@code skills/*} requests itself and passes every other line on to the SDK. Both the SDK and this
 * write through one {@link Lines} stream, so no two messages interleave on standard output.
 */
final class StdioSkills {
    private StdioSkills() {}

    /** Standard output shared by the SDK and the extension: whole lines only, one at a time. */
    static final class Lines extends OutputStream {
        private final OutputStream out;
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

        Lines(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            pending.write(b);
            if (b == '\n') {
                out.write(pending.toByteArray());
                out.flush();
                pending.reset();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            for (int i = 0; i < len; i++) {
                write(b[off + i]);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
        }

        synchronized void line(String json) throws IOException {
            out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** The input the SDK reads: the client's, without the requests the extension answered on {@code out}. */
    static InputStream filter(InputStream in, Lines out, SkillsExtension skills) throws IOException {
        PipedInputStream sdk = new PipedInputStream(1 << 20);
        PipedOutputStream toSdk = new PipedOutputStream(sdk);
        Thread.ofVirtual().name("mcp-skills-stdin").start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                 toSdk) {
                String line;
                boolean initialized = false;
                while ((line = lines.readLine()) != null) {
                    JsonNode message = parse(line);
                    if (message != null && "notifications/initialized".equals(message.path("method").asText())) {
                        initialized = true;
                    }
                    if (message != null && SkillsExtension.handles(message)) {
                        out.line(Tools.JSON.writeValueAsString(initialized ? skills.answer(message) : notYet(message)));
                    } else {
                        toSdk.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        toSdk.flush();
                    }
                }
            } catch (IOException e) {
                // the client closed standard input: the SDK sees the end of its stream too
            }
        });
        return sdk;
    }

    /** A request before the session is initialised, as the base protocol refuses one. */
    private static JsonNode notYet(JsonNode request) {
        var out = Tools.JSON.createObjectNode().put("jsonrpc", "2.0");
        out.set("id", request.get("id"));
        out.putObject("error").put("code", -32600).put("message", "initialize first: send initialize, then "
                + "notifications/initialized");
        return out;
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode n = Tools.JSON.readTree(line);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null; // not ours: the SDK answers a parse error
        }
    }
}
