package io.earshot.access.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

import org.junit.Test;

import io.earshot.access.internal.EndpointRules.Need;

public class GateRulesTest {

    private final Hosts hosts = new Hosts(new String[] {"Board.Lab.Example."}, () -> Set.of("localhost", "127.0.0.1", "::1", "192.168.1.5"));

    @Test
    public void hostHeadersAreComparedByNameWithoutPort() {
        assertEquals("localhost", Hosts.normalize("LOCALHOST:7320"));
        assertEquals("::1", Hosts.normalize("[::1]:7320"));
        assertEquals("fe80::1", Hosts.normalize("fe80::1%eth0"));
        assertEquals("example.org", Hosts.normalize("example.org."));
        assertNull(Hosts.normalize("  "));
        assertTrue(hosts.allows("192.168.1.5"));
        assertTrue("configured names are normalized too", hosts.allows("board.lab.example"));
        assertFalse(hosts.allows("evil.example"));
        assertFalse("a name ending like ours is another name", hosts.allows("localhost.evil.example"));
        assertTrue(new Hosts(new String[] {"*"}, Set::of).allows("anything.example"));
    }

    @Test
    public void listsInConfFilesMayBeWrittenWithCommasOrAsAnArray() {
        org.junit.Assert.assertArrayEquals(new String[] {"http://a:1", "null", "b"},
                ListValue.split(new String[] {"[\"http://a:1\", \"null\"]", " b ,", ""}));
    }

    @Test
    public void onlyOurOwnPageAndConfiguredOriginsPass() {
        Origins origins = new Origins(new String[] {"HTTP://LocalHost:8000/", "null"}, hosts, Set.of(7320));
        assertTrue(origins.allows("http://127.0.0.1:7320"));
        assertTrue(origins.allows("https://localhost:7320"));
        assertTrue(origins.allows("http://[::1]:7320"));
        assertTrue(origins.allows("http://localhost:8000"));
        assertTrue("null as configured", origins.allows("null"));
        assertFalse("another port of the same host", origins.allows("http://127.0.0.1:7321"));
        assertFalse("the default port", origins.allows("http://127.0.0.1"));
        assertFalse(origins.allows("http://evil.example:7320"));
        assertFalse(origins.allows("chrome-extension://abcdef"));
        assertFalse(origins.allows("not an origin"));
        assertFalse(new Origins(new String[0], hosts, Set.of(7320)).allows("null"));
        assertEquals("http://localhost:8000", Origins.normalize("HTTP://LocalHost:8000/"));
        assertEquals("https://a.example", Origins.normalize("https://a.example:443"));
    }

    @Test
    public void theTokenComesFromBearerBasicOrTheQueryNeverTheBody() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("earshot:T0k%n".getBytes(StandardCharsets.UTF_8));
        assertEquals("abc", Credentials.presented("Bearer abc ", "token=other"));
        assertEquals("T0k%n", Credentials.presented(basic, null));
        assertEquals("x y", Credentials.presented(null, "header=1&token=x+y"));
        assertEquals("a%b", Credentials.presented(null, "token=a%25b&name=p.jar"));
        assertNull(Credentials.presented(null, "tokens=abc&xtoken=abc"));
        assertNull("a malformed escape is no token", Credentials.presented(null, "token=%zz"));
        assertNull(Credentials.presented("Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)), null));
        assertNull(Credentials.basicPassword("%%%not base64"));
    }

    @Test
    public void whatIsOpenIsAShortListAndEverythingElseNeedsTheToken() {
        assertEquals(Need.OPEN, EndpointRules.need("GET", "/"));
        assertEquals(Need.OPEN, EndpointRules.need("GET", "/app/app.js"));
        assertEquals(Need.OPEN, EndpointRules.need("GET", "/handlers/graph/renderer.js"));
        assertEquals(Need.OPEN, EndpointRules.need("GET", "/ws/config"));
        assertEquals(Need.OPEN, EndpointRules.need("GET", "/api/access"));
        assertEquals(Need.OPEN, EndpointRules.need("GET", "/ws/scripts"));
        assertEquals(Need.OPEN, EndpointRules.need("POST", "/system/console/bundles"));
        assertEquals(Need.READ, EndpointRules.need("GET", "/api/status"));
        assertEquals(Need.READ, EndpointRules.need("GET", "/ws/audio"));
        assertEquals(Need.READ, EndpointRules.need("GET", "/api/plugins"));
        assertEquals(Need.TOKEN, EndpointRules.need("GET", "/ws/ui"));
        assertEquals(Need.TOKEN, EndpointRules.need("POST", "/api/plugins"));
        assertEquals(Need.TOKEN, EndpointRules.need("POST", "/app/app.js"));
        assertEquals(Need.TOKEN, EndpointRules.need("DELETE", "/api/plugins/42"));
        assertEquals(Need.READ, EndpointRules.need("GET", "/api/recordings"));
        assertEquals(Need.READ, EndpointRules.need("GET", "/api/recordings/take-1.wav"));
        assertEquals(Need.READ, EndpointRules.need("HEAD", "/api/recordings/take-1-002.wav"));
        assertEquals(Need.TOKEN, EndpointRules.need("POST", "/api/recordings"));
        assertEquals(Need.TOKEN, EndpointRules.need("POST", "/api/recordings/take-1/stop"));
        assertEquals(Need.TOKEN, EndpointRules.need("DELETE", "/api/recordings/take-1"));
        assertEquals("the intercom sends what the microphones hear to every client", Need.TOKEN,
                EndpointRules.need("POST", "/api/intercom/send"));
        assertEquals(Need.TOKEN, EndpointRules.need("GET", "/api/intercom/send"));
        assertEquals(Need.TOKEN, EndpointRules.need("GET", "/api/recordingsx"));
        assertEquals(Need.READ, EndpointRules.need("GET", "/api/devices"));
        assertEquals(Need.READ, EndpointRules.need("GET", "/api/devices/clips"));
        assertEquals(Need.TOKEN, EndpointRules.need("POST", "/api/devices/kitchen/play"));
        assertEquals(Need.TOKEN, EndpointRules.need("POST", "/api/devices/clips/chime"));
        assertEquals(Need.TOKEN, EndpointRules.need("DELETE", "/api/devices/clips/chime"));
        assertEquals(Need.TOKEN, EndpointRules.need("GET", "/api/devicesx"));
        assertEquals(EndpointRules.MAX_UPLOAD_BYTES, EndpointRules.maxBody("/api/devices/clips/chime"));
        assertEquals(EndpointRules.MAX_BODY_BYTES, EndpointRules.maxBody("/api/devices/kitchen/play"));
        assertEquals(Need.TOKEN, EndpointRules.need("GET", "/api/record"));
        assertEquals(Need.TOKEN, EndpointRules.need("GET", "/ws/ingest"));
        assertEquals(Need.TOKEN, EndpointRules.need("GET", "/ws/ingestx"));
        assertEquals(Need.READ, EndpointRules.need("GET", "/api/source"));
        assertEquals(Need.TOKEN, EndpointRules.need("POST", "/api/source"));
        assertEquals(Need.TOKEN, EndpointRules.need("GET", "/API/status"));
        assertEquals(Need.TOKEN, EndpointRules.need("GET", "/api/status/x"));
    }
}
