package io.earshot.http.json;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * How Earshot's REST endpoints answer: a JSON body that is never cached, and a refusal as
 * {@code {"ok":false,"error":"..."}} saying what was wrong and what is allowed.
 */
public final class JsonAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonAnswers() {
    }

    public static void answer(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getOutputStream(), body);
    }

    public static void refuse(HttpServletResponse response, int status, String error) throws IOException {
        answer(response, status, Map.of("ok", false, "error", error));
    }

    public static void refuse(HttpServletResponse response, Refusal refusal) throws IOException {
        refuse(response, refusal.status(), refusal.getMessage());
    }

    /** The request's path below the servlet's, without the leading '/'; empty for the servlet's own. */
    public static String path(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path == null || path.equals("/") ? "" : path.substring(1);
    }
}
