package io.earshot.classic.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.server.config.JettyWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.StatusContributor;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;

/**
 * A whiteboard for easy-dsp's classic ports: each servlet service with the property
 * {@value #PORT_PROPERTY} gets a small server of its own on that port, bound where the runtime
 * binds, serving it at every path, behind the access gate's Host and Origin checks (the gate's
 * filter for servers of its own). Off unless configured or started with {@code --classic}.
 */
@Component(configurationPid = ClassicPorts.PID, service = StatusContributor.class)
@Designate(ocd = ClassicPortsConfig.class)
public final class ClassicPorts implements StatusContributor {

    static final String PID = "io.earshot.classic";
    /** Service property of a servlet to serve on a classic port. */
    public static final String PORT_PROPERTY = "earshot.classic.port";
    private static final Logger LOG = LoggerFactory.getLogger(ClassicPorts.class);

    private final boolean enabled;
    private final String host;
    private final Filter gate;
    private final Map<Integer, Server> servers = new ConcurrentHashMap<>();
    private final Map<Integer, String> errors = new ConcurrentHashMap<>();

    @Activate
    public ClassicPorts(BundleContext context, ClassicPortsConfig config,
            @Reference(target = "(earshot.access.gate=classic)") Filter gate) {
        this.gate = gate;
        this.enabled = config.enabled() || Boolean.parseBoolean(context.getProperty("earshot.classic"));
        String bind = context.getProperty("org.apache.felix.http.host");
        this.host = bind == null || bind.isBlank() ? "127.0.0.1" : bind;
    }

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, target = "(" + PORT_PROPERTY + "=*)")
    void addServlet(Servlet servlet, Map<String, Object> properties) {
        if (!enabled) {
            return;
        }
        int port;
        try {
            port = Integer.parseInt(String.valueOf(properties.get(PORT_PROPERTY)).trim());
        } catch (NumberFormatException e) {
            LOG.error("{}={} is not a port number; not served", PORT_PROPERTY, properties.get(PORT_PROPERTY));
            return;
        }
        if (port <= 0) {
            return; // switched off in that bridge's configuration
        }
        Server server = new Server(new QueuedThreadPool(16, 2));
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler handler = new ServletContextHandler();
        handler.setContextPath("/");
        JettyWebSocketServletContainerInitializer.configure(handler, null);
        handler.addFilter(new FilterHolder(gate), "/*", EnumSet.of(DispatcherType.REQUEST));
        handler.addServlet(new ServletHolder(servlet), "/*");
        server.setHandler(handler);
        try {
            server.start();
            servers.put(port, server);
            errors.remove(port);
            LOG.info("Classic port {}:{} serves {}", host, port, servlet.getClass().getSimpleName());
        } catch (Exception e) {
            errors.put(port, String.valueOf(e.getMessage()));
            LOG.error("Classic port {}:{} could not start: {}", host, port, e.getMessage());
            stop(server);
        }
    }

    void removeServlet(Servlet servlet, Map<String, Object> properties) {
        Object port = properties.get(PORT_PROPERTY);
        Server server = port == null ? null : servers.remove(Integer.valueOf(String.valueOf(port).trim()));
        if (server != null) {
            stop(server);
        }
    }

    @Deactivate
    void deactivate() {
        servers.values().forEach(ClassicPorts::stop);
        servers.clear();
    }

    private static void stop(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("Stopping a classic port failed", e);
        }
    }

    @Override
    public String statusKey() {
        return "classic_ports";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("enabled", enabled);
        status.put("host", host);
        status.put("serving", servers.keySet().stream().sorted().toList());
        status.put("errors", Map.copyOf(errors));
        return status;
    }
}
