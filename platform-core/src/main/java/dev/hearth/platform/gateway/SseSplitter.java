package dev.hearth.platform.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a server-sent event stream into whole events as bytes arrive. It splits on the blank line
 * ({@code \n\n}) in bytes and decodes only whole events, so a UTF-8 character split across two
 * reads is never broken (the separator is ASCII and cannot fall inside one).
 */
final class SseSplitter {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** The events completed by these bytes, without their trailing blank line. */
    List<String> feed(byte[] buf, int n) {
        pending.write(buf, 0, n);
        byte[] all = pending.toByteArray();
        List<String> events = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + 1 < all.length; i++) {
            if (all[i] == '\n' && all[i + 1] == '\n') {
                events.add(new String(all, start, i - start, StandardCharsets.UTF_8));
                start = i + 2;
                i++;
            }
        }
        pending.reset();
        pending.write(all, start, all.length - start);
        return events;
    }

    /** Whatever followed the last blank line when the stream ended. */
    byte[] rest() {
        return pending.toByteArray();
    }
}
