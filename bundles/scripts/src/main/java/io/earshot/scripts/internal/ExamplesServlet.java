package io.earshot.scripts.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/scripts/examples}: the example plugins the editor offers
 * ({@code [{"name","title","description"}]}); {@code GET /api/scripts/examples/NAME}: one as a
 * single Java source. Read-only and the same for everyone, so no token.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/scripts/examples", "/api/scripts/examples/*"})
public class ExamplesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient Map<String, ExampleSources.Example> examples;

    @Activate
    public ExamplesServlet(BundleContext context) throws IOException {
        List<ExampleSources.SourceFile> files = new ArrayList<>();
        Enumeration<URL> entries = context.getBundle().findEntries("examples", "*.java", true);
        for (URL url : entries == null ? Collections.<URL>emptyList() : Collections.list(entries)) {
            // examples/MODULE/src/main/java/.../Name.java
            String[] path = url.getPath().split("/");
            String file = path[path.length - 1];
            try (InputStream in = url.openStream()) {
                files.add(new ExampleSources.SourceFile(path[2], file.substring(0, file.length() - ".java".length()),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        examples = new ExampleSources(files).examples();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        response.setCharacterEncoding("UTF-8");
        if (path == null || path.equals("/")) {
            response.setContentType("application/json");
            JSON.writeValue(response.getOutputStream(), examples.values().stream().map(ExampleSources::summary).toList());
            return;
        }
        ExampleSources.Example example = examples.get(path.substring(1));
        if (example == null) {
            response.setContentType("application/json");
            response.setStatus(404);
            JSON.writeValue(response.getOutputStream(), Map.of("error", "no example named '" + path.substring(1) + "'; the examples are "
                    + examples.keySet()));
            return;
        }
        response.setContentType("text/x-java; charset=utf-8");
        response.getWriter().write(example.source());
    }
}
