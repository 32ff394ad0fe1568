package dev.hearth.enginesim.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * Writes a server-sent event stream the way the engines do: {@code data: <json>\n\n} per event,
 * flushed at once, ending in {@code data: [DONE]\n\n}. A failed write means the client left.
 */
final class SseWriter {
    private final Context ctx;
    private final OutputStream out;
    private int events;

    SseWriter(Context ctx) throws IOException {
        this.ctx = ctx;
        ctx.status(200);
        ctx.res().setContentType("text/event-stream; charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        this.out = ctx.res().getOutputStream();
    }

    void data(String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        events++;
    }

    void done() throws IOException {
        data("[DONE]");
    }

    int events() {
        return events;
    }

    /** Cuts the TCP connection without ending the chunked body: what a crashing engine looks like. */
    void dropConnection() {
        ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection()
                .getEndPoint().close();
    }
}
