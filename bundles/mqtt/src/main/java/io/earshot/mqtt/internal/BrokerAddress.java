package io.earshot.mqtt.internal;

import java.net.URI;
import java.net.URISyntaxException;

/** {@code tcp://HOST[:PORT]} or {@code ssl://HOST[:PORT]} ({@code mqtt://}, {@code mqtts://} too). */
record BrokerAddress(boolean tls, String host, int port) {

    static BrokerAddress parse(String text) {
        String rule = "broker '" + text + "' must be tcp://HOST[:PORT] (default port 1883) or ssl://HOST[:PORT] (8883)";
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(rule);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        boolean tls = scheme.equals("ssl") || scheme.equals("mqtts") || scheme.equals("tls");
        if (!tls && !scheme.equals("tcp") && !scheme.equals("mqtt") || uri.getHost() == null
                || uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw new IllegalArgumentException(rule);
        }
        return new BrokerAddress(tls, uri.getHost(), uri.getPort() > 0 ? uri.getPort() : tls ? 8883 : 1883);
    }

    @Override
    public String toString() {
        return (tls ? "ssl://" : "tcp://") + host + ":" + port;
    }
}
