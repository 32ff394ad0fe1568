package dev.hearth.platform.gateway;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a handler left unread of a request body (a route that does not exist, a refusal before the body
 * is parsed), read and dropped before the answer goes out. A server that answers and closes while the
 * client is still sending makes the client's TCP stack see a reset, which can overtake the answer
 * (RFC 9112 section 9.6, "Tear-down"); Jetty closes a connection whose request body was left unread.
 * Read, the answer arrives and the connection is kept. Bounded: past {@code cap} bytes the connection
 * is closed as before. A client waiting for "100 Continue" has sent nothing, so nothing is read.
 */
public final class UnreadBody {
    private static final Logger LOG = LoggerFactory.getLogger(UnreadBody.class);

    private UnreadBody() {}

    /** Reads and drops up to {@code cap} bytes of what is left of the request's body; true if it all was. */
    public static boolean drain(HttpServletRequest request, long cap) {
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            return false;
        }
        byte[] buf = new byte[16_384];
        long read = 0;
        try {
            InputStream in = request.getInputStream();
            for (int n; read <= cap; read += n) {
                if ((n = in.read(buf)) < 0) {
                    return true;
                }
            }
        } catch (IOException | IllegalStateException e) {
            LOG.debug("request body not drained: {}", e.toString());
        }
        return false;
    }
}
