package io.earshot.access.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.AccessControl;

/** The runtime's token, and whether reads are open (bound to loopback only). */
@Component(configurationPid = TokenAccessControl.PID, service = AccessControl.class)
@Designate(ocd = AccessConfig.class)
public final class TokenAccessControl implements AccessControl {

    static final String PID = "io.earshot.access";
    static final String HOST_PROPERTY = "org.apache.felix.http.host";
    static final String PORT_PROPERTY = "org.osgi.service.http.port";
    private static final Logger LOG = LoggerFactory.getLogger(TokenAccessControl.class);

    private final byte[] token;
    private final boolean openReads;

    @Activate
    public TokenAccessControl(BundleContext context, AccessConfig config) throws IOException {
        String dataDir = context.getProperty("earshot.data");
        Path file = Paths.get(dataDir == null || dataDir.isBlank() ? "data" : dataDir, "token");
        TokenStore.Token chosen = TokenStore.resolve(System.getenv("EARSHOT_TOKEN"), config.token(), file);
        this.token = chosen.value().getBytes(StandardCharsets.UTF_8);
        String host = context.getProperty(HOST_PROPERTY);
        this.openReads = isLoopback(host);
        String banner = banner(host, context.getProperty(PORT_PROPERTY), chosen, file);
        System.out.println(banner);
        LOG.info("Access token from {}; written to {}", chosen.origin(), file);
    }

    static String banner(String host, String port, TokenStore.Token token, Path file) {
        String shown = host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (shown.contains(":")) shown = "[" + shown + "]";
        String url = "http://" + shown + ":" + (port == null ? "8080" : port) + "/?token=" + token.value();
        StringBuilder text = new StringBuilder()
                .append("\nEarshot is running.\n")
                .append("  Open:  ").append(url).append('\n')
                .append("  Token: ").append(describe(token.origin())).append(", kept in ").append(file).append('\n');
        if (!isLoopback(host)) {
            text.append("  Listening on ").append(host == null || host.isBlank() ? "every interface" : host)
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
        if (host == null || host.isBlank()) {
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
}
