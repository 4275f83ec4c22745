package io.earshot.access.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers a refused request (its status and a JSON reason) and keeps count, for the HTTP port's
 * gate and the classic ports' alike. The log gets one line per refusal, at most
 * {@value #LOG_LINES_PER_MINUTE} a minute, since whoever is refused can send as many as they
 * like; the rest are counted and said in the next line.
 */
@Component(service = Refusals.class)
public final class Refusals {

    static final int LOG_LINES_PER_MINUTE = 30;
    static final int RECENT = 10;
    private static final int MAX_SHOWN_CHARS = 120;
    private static final int[] STATUSES = {401, 403, 413};

    private static final Logger LOG = LoggerFactory.getLogger("io.earshot.access");
    private final AtomicLongArray counts = new AtomicLongArray(STATUSES.length);
    private final Deque<Map<String, Object>> recent = new ArrayDeque<>();
    private long windowStart;
    private int linesInWindow;
    private long unlogged;

    /** A client's text in a message: short, and without control characters (no forged log lines). */
    static String shorten(String text) {
        String clean = text.replaceAll("[\\p{Cntrl}]", "?");
        return clean.length() > MAX_SHOWN_CHARS ? clean.substring(0, MAX_SHOWN_CHARS) + "..." : clean;
    }

    void refuse(HttpServletRequest request, HttpServletResponse response, int status, String reason) throws IOException {
        for (int i = 0; i < STATUSES.length; i++) {
            if (STATUSES[i] == status) counts.incrementAndGet(i);
        }
        String client = request.getRemoteAddr();
        note(status, reason, client);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("{\"ok\":false,\"error\":\"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    private synchronized void note(int status, String reason, String client) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("time", java.time.Instant.now().toString());
        entry.put("status", status);
        entry.put("client", client);
        entry.put("reason", reason);
        recent.addLast(entry);
        if (recent.size() > RECENT) recent.removeFirst();
        long now = System.nanoTime();
        if (now - windowStart > 60_000_000_000L) {
            windowStart = now;
            linesInWindow = 0;
        }
        if (linesInWindow++ < LOG_LINES_PER_MINUTE) {
            LOG.warn("Refused {} from {}: {}{}", status, client, reason,
                    unlogged > 0 ? " (" + unlogged + " more refused before, not logged)" : "");
            unlogged = 0;
        } else {
            unlogged++;
        }
    }

    synchronized Map<String, Object> status() {
        Map<String, Object> refused = new LinkedHashMap<>();
        refused.put("no_token", counts.get(0));
        refused.put("origin_or_host", counts.get(1));
        refused.put("too_large", counts.get(2));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("refused", refused);
        status.put("recent_refusals", List.copyOf(recent));
        return status;
    }
}
