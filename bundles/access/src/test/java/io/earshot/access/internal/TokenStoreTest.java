package io.earshot.access.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TokenStoreTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void theEnvironmentWinsThenTheConfigurationThenTheFile() throws Exception {
        Path file = folder.getRoot().toPath().resolve("data/token");
        TokenStore.Token generated = TokenStore.resolve(null, "", file);
        assertEquals(TokenStore.Origin.GENERATED, generated.origin());
        assertEquals(64, generated.value().length());

        TokenStore.Token again = TokenStore.resolve(null, null, file);
        assertEquals("a restart keeps the token", generated.value(), again.value());
        assertEquals(TokenStore.Origin.FILE, again.origin());

        assertEquals("configured-token-123", TokenStore.resolve(null, "configured-token-123", file).value());
        TokenStore.Token env = TokenStore.resolve("environment-token-45", "configured-token-123", file);
        assertEquals(TokenStore.Origin.ENVIRONMENT, env.origin());
        assertEquals("environment-token-45\n", Files.readString(file));
    }

    @Test
    public void theTokenFileIsTheOwnersOnly() throws Exception {
        Path file = folder.getRoot().toPath().resolve("token");
        TokenStore.resolve(null, null, file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    public void unusableTokensAreIgnoredWithTheReason() throws Exception {
        assertEquals("it must be 16 to 256 characters long", TokenStore.problemWith("short"));
        assertEquals("it may only contain printable ASCII characters without spaces",
                TokenStore.problemWith("has a space in the middle"));
        assertNull(TokenStore.problemWith("exactly-sixteen!"));
        Path file = folder.getRoot().toPath().resolve("token");
        assertEquals(TokenStore.Origin.GENERATED, TokenStore.resolve("short", "also short", file).origin());
    }

    @Test
    public void onlyTheExactTokenIsPermitted() throws Exception {
        AccessGate access = new AccessGate(FakeContext.create(folder.getRoot().toString(), "127.0.0.1"),
                config("the-right-token-0123"), new Refusals());
        assertTrue(access.permits("the-right-token-0123"));
        assertFalse(access.permits("the-right-token-0124"));
        assertFalse(access.permits(""));
        assertFalse(access.permits(null));
        assertTrue(access.openReads());
    }

    @Test
    public void theGateRefusesForeignPagesAndHostNamesOnly() throws Exception {
        AccessGate access = new AccessGate(FakeContext.create(folder.getRoot().toString(), "127.0.0.1"),
                config("the-right-token-0123"), new Refusals());
        assertNull(access.refusal("127.0.0.1:7320", null));
        assertNull(access.refusal("localhost:7320", "http://localhost:7320"));
        assertNull(access.refusal("[::1]:7320", "http://127.0.0.1:7320"));
        assertNull("a configured origin", access.refusal("127.0.0.1:7320", "http://localhost:8000"));
        assertNull("a configured host name", access.refusal("board.lab.example:7320", null));
        assertNull("no Host at all (HTTP/1.0, a program)", access.refusal(null, null));
        String page = access.refusal("127.0.0.1:7320", "http://evil.example");
        assertTrue(page, page.startsWith("pages of http://evil.example may not use this runtime"));
        assertNotNull("the same host on another port is another page", access.refusal("127.0.0.1:7320", "http://127.0.0.1:8001"));
        assertNotNull("a page opened from a file", access.refusal("127.0.0.1:7320", "null"));
        String rebinding = access.refusal("evil.example:7320", null);
        assertTrue(rebinding, rebinding.contains("the host name 'evil.example:7320' is not one this runtime answers to"));
    }

    @Test
    public void readsAreOpenOnlyOnLoopback() {
        assertTrue(AccessGate.isLoopback("127.0.0.1"));
        assertTrue(AccessGate.isLoopback("::1"));
        assertTrue(AccessGate.isLoopback("localhost"));
        assertFalse(AccessGate.isLoopback("0.0.0.0"));
        assertFalse(AccessGate.isLoopback(null));
        assertFalse(AccessGate.isLoopback(""));
    }

    @Test
    public void theConsoleTakesUserEarshotWithTheTokenAsPassword() {
        String good = Base64.getEncoder().encodeToString("earshot:secret-token".getBytes(StandardCharsets.UTF_8));
        String admin = Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
        assertEquals("secret-token", Credentials.basicPassword(good));
        assertNull(Credentials.basicPassword(admin));
        assertNull(Credentials.basicPassword("%%%not base64"));
    }

    @Test
    public void theBannerShowsAnAddressToOpen() {
        String banner = AccessGate.banner("0.0.0.0", "7320",
                new TokenStore.Token("abcdefghijklmnop", TokenStore.Origin.GENERATED), Path.of("data/token"));
        assertTrue(banner, banner.contains("http://127.0.0.1:7320/?token=abcdefghijklmnop"));
        assertTrue(banner, banner.contains("need the token too"));
        assertNotEquals(-1, AccessGate.banner("127.0.0.1", "7320",
                new TokenStore.Token("abcdefghijklmnop", TokenStore.Origin.FILE), Path.of("t")).indexOf("same as last time"));
    }

    private static AccessConfig config(String token) {
        return new AccessConfig() {
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return AccessConfig.class; }
            @Override public String token() { return token; }
            @Override public String[] allowedOrigins() { return new String[] {"http://localhost:8000"}; }
            @Override public String[] allowedHosts() { return new String[] {"board.lab.example"}; }
        };
    }
}
