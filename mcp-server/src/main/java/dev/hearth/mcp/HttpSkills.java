package dev.hearth.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Streamable HTTP side of {@link SkillsExtension}: a filter in front of {@code /mcp} that answers
 * {@code skills/*} requests of an initialised session (one that sends {@code Mcp-Session-Id}) with
 * a JSON response, after the same Origin and key checks as every other request; anything else
 * goes on to the SDK's servlet with its body intact.
 */
final class HttpSkills implements Filter {
    /** The same checks {@link McpHttp} gives the SDK. */
    interface Access {
        void check(Map<String, List<String>> headers) throws Exception;
    }

    private final SkillsExtension skills;
    private final Access access;

    HttpSkills(SkillsExtension skills, Access access) {
        this.skills = skills;
        this.access = access;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) req;
        if (!"POST".equals(http.getMethod())) {
            chain.doFilter(req, res);
            return;
        }
        byte[] body = http.getInputStream().readAllBytes();
        JsonNode message;
        try {
            message = Tools.JSON.readTree(body);
        } catch (IOException e) {
            message = null;
        }
        if (message == null || !message.isObject() || !SkillsExtension.handles(message)) {
            chain.doFilter(new Replayed(http, body), res);
            return;
        }
        HttpServletResponse out = (HttpServletResponse) res;
        try {
            access.check(headers(http));
        } catch (io.modelcontextprotocol.server.transport.ServerTransportSecurityException e) {
            send(out, e.getStatusCode(), refused(message, e.getMessage()));
            return;
        } catch (Exception e) {
            send(out, 403, refused(message, String.valueOf(e.getMessage())));
            return;
        }
        if (http.getHeader("Mcp-Session-Id") == null) {
            send(out, 400, Map.of("jsonrpc", "2.0", "id", message.get("id"), "error", Map.of("code", -32600,
                    "message", "initialize first: skills/* needs the Mcp-Session-Id of an initialised session")));
            return;
        }
        send(out, 200, skills.answer(message));
    }

    /** A refusal as JSON-RPC says an error is, answering the message's id. */
    private static Map<String, Object> refused(JsonNode message, String why) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", message.get("id"));
        body.put("error", Map.of("code", -32600, "message", why));
        return body;
    }

    private static void send(HttpServletResponse out, int status, Object body) throws IOException {
        out.setStatus(status);
        out.setContentType("application/json");
        out.getOutputStream().write(Tools.JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, List<String>> headers(HttpServletRequest http) {
        Map<String, List<String>> out = new HashMap<>();
        for (String name : Collections.list(http.getHeaderNames())) {
            out.put(name, Collections.list(http.getHeaders(name)));
        }
        return out;
    }

    /** The request with its body read once and offered again. */
    static final class Replayed extends HttpServletRequestWrapper {
        private final byte[] body;

        Replayed(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already in memory");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
