package io.earshot.access.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Earshot access",
        description = "The access gate in front of every endpoint: the token, and which pages and host names may reach the runtime.")
@interface AccessConfig {

    @AttributeDefinition(description = "A fixed token (16 to 256 printable characters); empty: keep the one in"
            + " data/token, or generate one. The EARSHOT_TOKEN environment variable wins over this.")
    String token() default "";

    @AttributeDefinition(description = "Web pages besides Earshot's own that may use the runtime, as origins"
            + " (scheme://host:port, e.g. http://localhost:8000 for an easy-dsp webapp served there; null for a page"
            + " opened from a file), separated by commas. Every other page is refused, with or without the token.")
    String[] allowedOrigins() default {};

    @AttributeDefinition(description = "Host names besides the runtime's own (loopback, the address it binds, the"
            + " machine's name) that clients may use to reach it, e.g. a DNS name or a reverse proxy's name;"
            + " * allows any; separated by commas. Requests naming other hosts are refused (DNS rebinding).")
    String[] allowedHosts() default {};
}
