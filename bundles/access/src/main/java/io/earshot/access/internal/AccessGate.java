package io.earshot.access.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.AccessControl;
import io.earshot.api.StatusContributor;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The one gate: a whiteboard preprocessor, so it sees every request the HTTP server gets (every
 * servlet, resource and context, the Web Console and endpoints still to come) before any of them
 * does, and decides once: Host, then Origin, then what the endpoint needs ({@link EndpointRules})
 * against the token the request presents. Endpoints read the verdict
 * ({@link AccessControl#TOKEN_ATTRIBUTE}); nothing else reads credentials. It also holds the
 * runtime's token, prints the start banner and answers {@link AccessControl} for endpoints outside
 * the HTTP server. The endpoints reference this service, so they are served only while it stands.
 */
@Component(configurationPid = AccessGate.PID,
        service = {AccessControl.class, Preprocessor.class, StatusContributor.class})
@Designate(ocd = AccessConfig.class)
public final class AccessGate implements AccessControl, Preprocessor, StatusContributor {

    static final String PID = "io.earshot.access";
    static final String HOST_PROPERTY = "org.apache.felix.http.host";
    static final String PORT_PROPERTY = "org.osgi.service.http.port";
    private static final Logger LOG = LoggerFactory.getLogger(AccessGate.class);

    private final boolean openReads;
    private final String bind;
    private final int port;
    private final Path tokenFile;
    private final Refusals refusals;
    private volatile byte[] token;
    private volatile Hosts hosts;
    private volatile Origins origins;

    @Activate
    public AccessGate(BundleContext context, AccessConfig config, @Reference Refusals refusals) throws IOException {
        this.refusals = refusals;
        String dataDir = context.getProperty("earshot.data");
        this.tokenFile = Paths.get(dataDir == null || dataDir.isBlank() ? "data" : dataDir, "token");
        this.bind = context.getProperty(HOST_PROPERTY);
        this.openReads = isLoopback(bind);
        this.port = port(context.getProperty(PORT_PROPERTY));
        TokenStore.Token chosen = configure(config);
        System.out.println(banner(bind, String.valueOf(port), chosen, tokenFile));
        LOG.info("Access token from {}; written to {}", chosen.origin(), tokenFile);
    }

    /**
     * A changed configuration is taken in place: re-registering the gate would take every
     * endpoint down with it and close every client's connection.
     */
    @Modified
    void modified(AccessConfig config) throws IOException {
        byte[] before = token;
        TokenStore.Token chosen = configure(config);
        LOG.info("Access configuration changed: allowed hosts {}, allowed origins {}{}", hosts.names(),
                origins.configured(), MessageDigest.isEqual(before, token) ? "" : "; the token is now " + chosen.origin());
    }

    private TokenStore.Token configure(AccessConfig config) throws IOException {
        TokenStore.Token chosen = TokenStore.resolve(System.getenv("EARSHOT_TOKEN"), config.token(), tokenFile);
        Hosts allowed = new Hosts(bind, ListValue.split(config.allowedHosts()));
        origins = new Origins(ListValue.split(config.allowedOrigins()), allowed, Set.of(port));
        hosts = allowed;
        token = chosen.value().getBytes(StandardCharsets.UTF_8);
        return chosen;
    }

    private static int port(String property) {
        try {
            return property == null ? 8080 : Integer.parseInt(property.trim());
        } catch (NumberFormatException e) {
            return 8080; // Felix HTTP's own default, which it then uses too
        }
    }

    static String banner(String host, String port, TokenStore.Token token, Path file) {
        String shown = Hosts.isWildcard(host) ? "127.0.0.1" : host;
        if (shown.contains(":")) shown = "[" + shown + "]";
        String url = "http://" + shown + ":" + (port == null ? "8080" : port) + "/?token=" + token.value();
        StringBuilder text = new StringBuilder()
                .append("\nEarshot is running.\n")
                .append("  Open:  ").append(url).append('\n')
                .append("  Token: ").append(describe(token.origin())).append(", kept in ").append(file).append('\n');
        if (!isLoopback(host)) {
            text.append("  Listening on ").append(Hosts.isWildcard(host) ? "every interface" : host)
                    .append(": the status and the audio stream need the token too.\n");
        }
        return text.toString();
    }

    private static String describe(TokenStore.Origin origin) {
        return switch (origin) {
            case ENVIRONMENT -> "from EARSHOT_TOKEN";
            case CONFIGURATION -> "from conf/io.earshot.access";
            case FILE -> "the same as last time";
            case GENERATED -> "new";
        };
    }

    static boolean isLoopback(String host) {
        if (Hosts.isWildcard(host)) {
            return false; // Felix HTTP then listens on every interface
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public boolean permits(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean openReads() {
        return openReads;
    }

    @Override
    public String refusal(String host, String origin) {
        String name = Hosts.normalize(host);
        if (name != null && !hosts.allows(name)) {
            return "the host name '" + Refusals.shorten(host) + "' is not one this runtime answers to (a foreign name"
                    + " pointed at this machine: DNS rebinding?); /api/status lists them under access.allowed_hosts;"
                    + " add others to allowedHosts in conf/io.earshot.access.cfg";
        }
        if (origin != null && !origins.allows(origin)) {
            return "pages of " + Refusals.shorten(origin) + " may not use this runtime: only Earshot's own page and the"
                    + " origins in allowedOrigins (conf/io.earshot.access.cfg) may";
        }
        return null;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String refusal = refusal(request.getHeader("Host"), request.getHeader("Origin"));
        if (refusal != null) {
            refusals.refuse(request, response, 403, refusal);
            return;
        }
        boolean withToken = permits(Credentials.presented(request.getHeader("Authorization"), request.getQueryString()));
        String path = path(request);
        EndpointRules.Need need = EndpointRules.need(request.getMethod(), path);
        if (!withToken && (need == EndpointRules.Need.TOKEN || (need == EndpointRules.Need.READ && !openReads))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"Earshot\"");
            refusals.refuse(request, response, 401, request.getMethod() + " " + Refusals.shorten(path)
                    + " needs the access token (?token= or Authorization: Bearer)"
                    + (need == EndpointRules.Need.READ ? " because this runtime is not bound to loopback" : "")
                    + "; it is printed when Earshot starts and kept in data/token");
            return;
        }
        long length = request.getContentLengthLong();
        long max = EndpointRules.maxBody(path);
        if (length > max) {
            refusals.refuse(request, response, 413, "a body of " + length + " bytes is too large for " + Refusals.shorten(path)
                    + "; allowed: at most " + max);
            return;
        }
        request.setAttribute(TOKEN_ATTRIBUTE, withToken);
        chain.doFilter(request, response);
    }

    /** The decoded, normalized path the servlets are matched against. */
    static String path(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public String statusKey() {
        return "access";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("bound", Hosts.isWildcard(bind) ? "every interface" : bind);
        status.put("open_reads", openReads);
        status.put("allowed_hosts", hosts.names());
        Set<String> pages = new TreeSet<>(origins.configured());
        pages.add("http://<an allowed host>:" + port);
        status.put("allowed_origins", pages);
        status.putAll(refusals.status());
        return status;
    }
}
